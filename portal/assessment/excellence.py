"""The month's excellent grade (优秀) under the quota, who was excluded and why, and the service stars (服务标兵).

At most the rulebook's share of the staff with a sheet is graded 优秀 (a higher share in a year the center
finds outstanding); a tie at the border of the quota leaves all the tied out, as the quota is a maximum.
Never graded: anyone with the rulebook's number of verified complaints within its working days, or with its
number of overdue cases in the year (counted by complaints and cases). Service stars come from the 优秀.
"""
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..cases import figures as cases
from ..complaints import points as complaints
from ..rulebook import service as rules
from ..scores import service as scores
from . import picking
from . import sheet as sheets


@dataclass
class PersonStanding:
    """A staff member's month for the excellence grade: the sheet, why they were excluded, what they got."""

    sheet: object
    reasons: list = field(default_factory=list)
    excellent: bool = False
    star: bool = False
    tied_out: bool = False

    @property
    def order(self) -> tuple:
        # Higher total first; at equal totals fewer points deducted (the deductions are negative).
        return self.sheet.total_centi, self.sheet.deduction_centi


@dataclass
class Excellence:
    """The month's grading: the quota and its share, every person's standing, best first."""

    share: int
    quota: int
    people: list

    @property
    def excellent(self) -> list:
        return [p for p in self.people if p.excellent]

    @property
    def excluded(self) -> list:
        return [p for p in self.people if p.reasons]

    @property
    def stars(self) -> list:
        return [p for p in self.people if p.star]


def share(hall_id: int) -> int:
    """Return the share of staff (percent) the 优秀 grade may go to this year, from the rulebook."""
    outstanding = rules.get("assessment.outstanding_results", hall_id)
    return rules.get("assessment.excellent_share_outstanding" if outstanding else "assessment.excellent_share",
                     hall_id)


def reasons(hall_id: int, user_id: int, year: int, last: date, overdue: dict) -> list[str]:
    """Say why a person may not be graded 优秀 this month (none: they may)."""
    found = []
    if complaints.excluded_from_award(hall_id, user_id, date(year, 1, 1), last):
        days = [d for d in complaints.verified_days(hall_id, user_id) if date(year, 1, 1) <= d <= last]
        found.append(f"{rules.get('assessment.complaints_window_days', hall_id)} 个工作日内查实投诉 "
                     f"{rules.get('assessment.complaints_for_exclusion', hall_id)} 次（"
                     + "、".join(f"{d.month}月{d.day}日" for d in days) + "）")
    limit = rules.get("assessment.overdue_cases_per_year", hall_id)
    if overdue.get(user_id, 0) >= limit:
        found.append(f"全年超期办件 {overdue[user_id]} 件（达到 {limit} 件取消评优）")
    return found


def month(hall_id: int, year: int, month_: int, result=None) -> Excellence:
    """Grade the month's staff: exclusions first, then the quota of 优秀, then the service stars among them."""
    result = result or sheets.month(hall_id, year, month_)
    last = scores.month_range(year, month_)[1] - timedelta(days=1)
    overdue = cases.overdue_counts(hall_id, year)
    people = [PersonStanding(p, reasons(hall_id, p.user_id, year, last, overdue)) for p in result.people]
    pct = share(hall_id)
    quota = len(people) * pct // 100
    picked = picking.top([p for p in people if not p.reasons], quota, lambda p: p.order, share_ties=False)
    for p in picked.chosen:
        p.excellent = True
    for p in picked.tied_out:
        p.tied_out = True
    stars = picking.top(picked.chosen, rules.get("assessment.service_stars_per_month", hall_id),
                        lambda p: p.order, share_ties=False)
    for p in stars.chosen:
        p.star = True
    people.sort(key=lambda p: p.order, reverse=True)
    return Excellence(pct, quota, people)
