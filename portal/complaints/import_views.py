"""12345 work-order import (热线工单导入) on the shared import pages; each new work order opens a case."""
from ..imports.pages import ImportPages
from ..imports.views import register
from ..roles import Role
from . import bp, hotline

IMPORTERS = (Role.ADMIN, Role.GENERAL_DUTY, Role.DUTY_LEADER)

PAGES = register(bp, ImportPages(
    hotline.SPEC, hotline.presets, IMPORTERS, title="12345 工单导入", noun="工单", unit="张",
    file_label="12345 工单导出文件",
    intro=("按热线平台导出的列名读取：工单编号、受理时间、诉求类型、来电人、联系电话、承办单位、诉求内容。"
           "同一工单编号不会重复导入；受理时间即开始计时，每张新工单生成一件投诉。"),
    confirm_step=hotline.confirm, reverse_step=hotline.reverse,
    nav="complaints/_import_nav.html", note="complaints/_import_note.html",
    details=lambda batch: {"made": hotline.opened_by(batch)}))
