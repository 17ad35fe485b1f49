"""The month's case figures as an .xlsx workbook (openpyxl): figures by window and department, overdue cases."""
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

HEADS = ["名称", "受理", "办结", "提前办结", "即办", "超期", "平均用时（工作日）"]


def _figures_sheet(ws, rows, total) -> None:
    ws.append(HEADS)
    for f in [*rows, total]:
        ws.append([f.name, f.taken, f.finished, f.early, f.on_the_spot, f.overdue, f.average_days])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = 32


def workbook(figures: dict) -> bytes:
    """Write the month's figures: one sheet by window, one by department, one of the overdue cases."""
    wb = Workbook()
    ws = wb.active
    ws.title = "按窗口"
    _figures_sheet(ws, figures["windows"], figures["total"])
    _figures_sheet(wb.create_sheet("按单位"), figures["departments"], figures["total"])
    od = wb.create_sheet("超期办件")
    od.append(["办件编号", "事项名称", "窗口", "单位", "受理人", "受理时间", "应办结日", "超期（工作日）", "状态"])
    for c in figures["overdue_cases"]:
        od.append([c.number, c.item_name, f"{c.window.number}号 {c.window.name}", c.window.department.name,
                   c.clerk.name if c.clerk else c.clerk_name, c.accepted_at.strftime("%Y-%m-%d %H:%M"),
                   c.deadline.due.isoformat(), c.deadline.late_days, c.deadline.label])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
