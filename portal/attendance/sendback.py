"""The year's send-back thresholds (退回原单位): sick leave, late or early, absence; each flag with its evidence."""
from dataclasses import dataclass, field
from datetime import date

from ..rulebook import service as rules
from .sheet import hall_people, range_sheet


@dataclass
class Flag:
    """One person over a threshold of the year, and the days behind it."""

    person: object
    reasons: list = field(default_factory=list)
    evidence: dict = field(default_factory=dict)  # reason: [days]


def _year_days(year: int, today: date) -> list[date]:
    last = min(date(year, 12, 31), today)
    return [date.fromordinal(n) for n in range(date(year, 1, 1).toordinal(), last.toordinal() + 1)]


def flags(hall_id: int, year: int, today: date) -> list[Flag]:
    """Return the people of the hall over any send-back threshold of the year so far."""
    sick_max, late_max = rules.get("assessment.sendback_sick_days"), rules.get("assessment.sendback_late_early")
    absent_max = rules.get("assessment.sendback_absent_days")
    out = []
    for row in range_sheet(hall_id, _year_days(year, today), hall_people(hall_id)):
        sick = [d for d, h in row.days.items() for r in h.values() if r.leave == "病假"]
        late = [d for d, h in row.days.items() for r in h.values() if r.late or r.early]
        absent = [d for d, h in row.days.items() for r in h.values() if r.status == "absent"]
        flag = Flag(row.person)
        for reason, days, over in ((f"病假超过 {sick_max} 个工作日", sick, len(sick) / 2 > sick_max),
                                   (f"迟到早退达到 {late_max} 次", late, len(late) >= late_max),
                                   (f"旷工达到 {absent_max} 天", absent, len(absent) / 2 >= absent_max)):
            if over:
                flag.reasons.append(reason)
                flag.evidence[reason] = sorted(set(days))
        if flag.reasons:
            out.append(flag)
    return out
