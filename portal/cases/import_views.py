"""Case import (办件导入) on the shared import pages: upload, preview, confirm, imports, reversal, profiles."""
from ..imports.pages import ImportPages
from ..imports.views import register
from ..roles import CASE_IMPORTERS
from . import bp, service
from .profiles import presets
from .spec import SPEC

PAGES = register(bp, ImportPages(
    SPEC, presets, CASE_IMPORTERS, title="导入办件", noun="办件记录", file_label="办件导出文件（Excel 或 CSV）",
    intro=("审批系统的办件导出（Excel 或 CSV），按办件编号识别办件：再次导入同一份导出不会重复保存，"
           "较新的导出会更新办件状态。"),
    confirm_step=service.confirm, reverse_step=service.reverse,
    nav="cases/_nav.html", note="cases/_import_note.html"))
