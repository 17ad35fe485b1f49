"""The year's send-back thresholds (退回原单位): sick leave, late or early, absence; each flag with its evidence."""
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from .. import clock
from ..auth.models import User
from ..extensions import db
from ..refusals import Refusal
from ..rulebook import service as rules
from .leave_models import SENDBACK_DECISIONS, SendBackDecision, SendBackFlag
from .models import Punch
from .sheet import hall_people, range_sheet


class SendBackError(Refusal):
    """A refused send-back decision; the message is shown to the person."""


@dataclass
class Flag:
    """One person over a threshold of the year, and the days behind it."""

    person: object
    reasons: list = field(default_factory=list)
    evidence: dict = field(default_factory=dict)  # reason: [days]
    codes: dict = field(default_factory=dict)  # reason code: reason in words


def _year_days(hall_id: int, year: int, today: date) -> list[date]:
    """Return the year's days so far since the hall began keeping attendance (its first punch)."""
    began = db.session.execute(select(func.min(Punch.day)).where(Punch.hall_id == hall_id)).scalar()
    first, last = max(date(year, 1, 1), began or today), min(date(year, 12, 31), today)
    return [date.fromordinal(n) for n in range(first.toordinal(), last.toordinal() + 1)]


def reason_words() -> dict[str, str]:
    """Return each threshold in words, with the rulebook's figure."""
    return {"sick": f"病假超过 {rules.get('assessment.sendback_sick_days')} 个工作日",
            "late_early": f"迟到早退达到 {rules.get('assessment.sendback_late_early')} 次",
            "absent": f"旷工达到 {rules.get('assessment.sendback_absent_days')} 天"}


def flags(hall_id: int, year: int, today: date) -> list[Flag]:
    """Return the people of the hall over any send-back threshold of the year so far."""
    sick_max, late_max = rules.get("assessment.sendback_sick_days"), rules.get("assessment.sendback_late_early")
    absent_max, words = rules.get("assessment.sendback_absent_days"), reason_words()
    out = []
    days = _year_days(hall_id, year, today)
    if not days:
        return []
    for row in range_sheet(hall_id, days, hall_people(hall_id)):
        sick = [d for d, h in row.days.items() for r in h.values() if r.leave == "病假"]
        late = [d for d, h in row.days.items() for r in h.values() if r.late or r.early]
        absent = [d for d, h in row.days.items() for r in h.values() if r.status == "absent"]
        flag = Flag(row.person)
        for code, days, over in (("sick", sick, len(sick) / 2 > sick_max), ("late_early", late, len(late) >= late_max),
                                 ("absent", absent, len(absent) / 2 >= absent_max)):
            if over:
                flag.reasons.append(words[code])
                flag.codes[code] = words[code]
                flag.evidence[words[code]] = sorted(set(days))
        if flag.reasons:
            out.append(flag)
    return out


def note_flags(hall_id: int, day: date) -> list[str]:
    """Note each person newly over a threshold of the day's year, once (the daily close calls it)."""
    known = {(f.user_id, f.reason) for f in db.session.execute(select(SendBackFlag).where(
        SendBackFlag.hall_id == hall_id, SendBackFlag.year == day.year)).scalars()}
    lines = []
    for flag in flags(hall_id, day.year, day):
        for code, words in flag.codes.items():
            if (flag.person.id, code) not in known:
                db.session.add(SendBackFlag(hall_id=hall_id, user_id=flag.person.id, year=day.year, reason=code,
                                            flagged_on=day, flagged_at=clock.now()))
                lines.append(f"{day} {flag.person.name}：{words}，提请中心研究是否退回原单位")
    db.session.flush()
    return lines


def open_flags(hall_id: int) -> list[SendBackFlag]:
    """Return the hall's flags the center has not decided yet, oldest first."""
    decided = select(SendBackDecision.flag_id)
    return db.session.execute(select(SendBackFlag).where(
        SendBackFlag.hall_id == hall_id, SendBackFlag.id.not_in(decided)).order_by(SendBackFlag.id)).scalars().all()


def decisions(hall_id: int, year: int) -> dict[int, list]:
    """Return {user_id: [(flag, decision or None)]} of the year's noted flags."""
    rows = db.session.execute(
        select(SendBackFlag, SendBackDecision).outerjoin(SendBackDecision, SendBackDecision.flag_id == SendBackFlag.id)
        .where(SendBackFlag.hall_id == hall_id, SendBackFlag.year == year).order_by(SendBackFlag.id)).all()
    out: dict = {}
    for flag, decision in rows:
        out.setdefault(flag.user_id, []).append((flag, decision))
    return out


def sent_back_by_unit(hall_id: int) -> dict[int, list]:
    """Return, by unit, the people the center sent back who are still on its staff here, one decision each."""
    rows = db.session.execute(
        select(SendBackDecision, SendBackFlag, User.department_id)
        .join(SendBackFlag, SendBackFlag.id == SendBackDecision.flag_id).join(User, User.id == SendBackFlag.user_id)
        .where(SendBackFlag.hall_id == hall_id, SendBackDecision.decision == "sent_back", User.active.is_(True),
               User.hall_id == hall_id)
        .order_by(SendBackDecision.id)).all()
    out: dict[int, dict] = {}
    for decision, flag, dept in rows:
        out.setdefault(dept, {}).setdefault(flag.user_id, (decision, flag))
    return {dept: list(people.values()) for dept, people in out.items()}


def decide(user, person, year: int, decision: str, note: str) -> list[SendBackDecision]:
    """Record the center's decision on every open flag of a person's year."""
    if decision not in SENDBACK_DECISIONS:
        raise SendBackError("请选择处理结果")
    if not (note or "").strip():
        raise SendBackError("请填写研究意见")
    open_rows = [f for f in open_flags(person.hall_id) if f.user_id == person.id and f.year == year]
    if not open_rows:
        raise SendBackError(f"{person.name}没有待研究的退回提示", 409)
    rows = [SendBackDecision(flag_id=f.id, decision=decision, note=note.strip()[:300], by_id=user.id, at=clock.now())
            for f in open_rows]
    db.session.add_all(rows)
    db.session.flush()
    return rows
