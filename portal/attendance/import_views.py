"""Punch file import (考勤导入) on the shared import pages: upload, preview, confirm, imports, profiles."""
from ..imports.pages import ImportPages
from ..imports.views import register
from ..roles import ATTENDANCE_KEEPERS
from . import bp, formats
from .punches import SPEC

PAGES = register(bp, ImportPages(
    SPEC, formats.presets, ATTENDANCE_KEEPERS, title="导入打卡记录", noun="打卡记录", file_label="考勤文件",
    intro=("支持中控考勤机 1_attlog.dat、考勤管理系统 CHECKINOUT 导出、钉钉原始记录与每日统计、"
           "任意 CSV/Excel（UTF-8 或 GBK）。"),
    nav="attendance/_nav.html", note="attendance/_import_note.html",
    options=[("source", "考勤号来源（同一来源的考勤号只需对应一次）")]))
