"""Online ratings import (网上评价导入) on the shared import pages; bad reviews open their cases."""
from ..imports.pages import ImportPages
from ..imports.views import register
from ..roles import RATING_CENTER
from . import bp, online

PAGES = register(bp, ImportPages(
    online.SPEC, online.presets, RATING_CENTER, title="网上评价导入", noun="网上评价",
    file_label="导出文件（CSV 或 Excel）",
    intro=("上传省好差评系统导出的 CSV 或 Excel 文件（一事一评）；同一办件编号和渠道只导入一次，"
           "差评会自动生成整改任务。"),
    confirm_step=online.confirm, reverse_step=online.reverse,
    nav="ratings/_import_nav.html"))
