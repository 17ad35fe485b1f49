"""The monthly assessment (月度考核) of window units and staff, from the score ledger.

Interface for other capabilities (red flags, awards, feedback build on these; read, never write the tables):
- `sheet.month(hall_id, year, month) -> MonthSheet`: the month's sheets, `.units` and `.people`, each a
  `figures.Sheet` ranked (`.rank`, 1 = best; equal totals share a rank) with `.total` / `.total_centi`,
  `.base_centi`, `.cap_centi`, `.categories` (`CategoryTotal`: key, label, max_centi, raw_centi, centi),
  `.bonus_centi`, `.adjustment_centi`, `.department` and (a person's) `.user`. Open months (draft, reviewed)
  are computed from the ledger on each call; published and closed months are read as stored (two queries).
  `MonthSheet.unit(department_id)`, `.person(user_id)`, `.state` (draft|reviewed|published|closed), `.frozen`.
- `sheet.with_lines(month_sheet, sheet)`: the sheet with its `figures.Line`s (each names its ledger event).
- `sheet.month_and_sheet(hall_id, year, month, department_id=, user_id=)`: the month and one sheet with its
  lines, for showing one sheet (a frozen month reads only that sheet: its MonthSheet lists no units or people).
- `sheet.records(hall_id)`: the hall's `AssessmentMonth` rows by (year, month).
- `scheme.current(hall_id)`: the categories, base and cap the rulebook has in force (`sheet.*` keys).
- `months.review / publish / close` and `objections.raise_ / rule`: the month's life (Refusal on a broken rule).
Points are hundredths (centipoints) throughout, like the ledger.
"""
from flask import Blueprint

bp = Blueprint("assessment", __name__, url_prefix="/assessment")


def centi(value: int) -> str:
    """Write hundredths of a point as points: 8780 -> 87.8, -20 -> -0.2, 0 -> 0."""
    text = f"{abs(value) // 100}.{abs(value) % 100:02d}".rstrip("0").rstrip(".")
    return f"-{text}" if value < 0 else text


bp.add_app_template_filter(centi, "centi")

# The routes register on bp; the tables. Awards and feedback (流动红旗, 优秀, 反馈) are their own modules.
from . import action_views, award_models, award_views, feedback_views, models, views  # noqa: E402,F401
