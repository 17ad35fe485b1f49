"""Attendance on the score ledger: each late, early, overrun leave and absence charged once, reversed if corrected."""
from datetime import date, datetime

from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..rulebook import service as rules
from ..scores import service as scores
from . import corrections, monthly, office, sendback, sheet
from .leave import halves_between, is_overrun, return_due
from .leave_models import LeaveRequest

PREFIX = "attendance:"
ADJUST = "attendance-adjust:"  # keys of adjustments in the next month: outside PREFIX, never voided by a recheck
WORDS = {"late": "迟到", "early": "早退", "absent": "旷工"}
WINDOW_LOOKBACK = 45  # calendar days searched back for a 补卡 window ending on the closed day


def _key(uid: int, day: date, *parts) -> str:
    return ":".join([f"{PREFIX}{uid}", day.isoformat(), *parts])


def _charges(person, day: date, halves: dict, missed_due: bool = False) -> dict:
    """Return {key: (subject, points, rule, note)} the day's results call for.

    A center office person is charged on the office scale and costs no window unit; a missed punch
    (缺卡) is charged, as the rulebook says, once its 补卡 window has passed (missed_due).
    """
    rate, out = office.rates(person), {}
    unit = person.department is not None and not office.is_office(person)
    for half, r in halves.items():
        when = f"{day:%m-%d}{'上午' if half == 'am' else '下午'}"
        for what, minutes in (("late", r.late), ("early", r.early)):
            if minutes and r.status != "leave":
                note = f"{when}{WORDS[what]} {minutes} 分钟"
                out[_key(person.id, day, half, what, "person")] = ("person", rate["late"], WORDS[what], note)
                out[_key(person.id, day, half, what, "unit")] = ("unit", rules.get("attendance.unit_late_points"),
                                                                f"{WORDS[what]}：{person.name}", note)
        if r.status == "absent":
            out[_key(person.id, day, half, "absent", "person")] = ("person", rate["absent"], "旷工半天", f"{when}旷工")
            out[_key(person.id, day, "absent", "unit")] = ("unit", rules.get("attendance.unit_absent_points"),
                                                           f"旷工：{person.name}", f"{day:%m-%d}旷工")
        if r.status == "missed" and missed_due:
            out.update(_missed(person, day, half, when, rate))
    return out if unit else {k: v for k, v in out.items() if v[0] == "person"}


def _missed(person, day: date, half: str, when: str, rate: dict) -> dict:
    """Return the charges of a missed punch not corrected in time, counted as the rulebook says."""
    counts_as = rules.get("attendance.missed_punch_counts_as")
    if counts_as not in ("late_early", "absent"):
        return {}
    unit_key = "attendance.unit_absent_points" if counts_as == "absent" else "attendance.unit_late_points"
    note = f"{when}缺卡，未在期限内补卡"
    return {_key(person.id, day, half, "missed", "person"): ("person", rate["absent" if counts_as == "absent"
                                                                            else "late"], "缺卡未补", note),
            _key(person.id, day, half, "missed", "unit"): ("unit", rules.get(unit_key), f"缺卡未补：{person.name}",
                                                           note)}


def _apply(person, day: date, wanted: dict, prefix: str, by) -> list[str]:
    if monthly.closed(person.hall_id, day):
        return _adjust(person, day, wanted, prefix, by)
    lines = []
    for key, (subject, points, rule, note) in wanted.items():
        args = {"subject_user": person} if subject == "person" else {"subject_department": person.department}
        if scores.record(**args, points=-points, rule=rule, source="attendance", day=day, note=note, key=key,
                         department_id=person.department_id):
            lines.append(f"{day} {person.name}：{note}（{'个人' if subject == 'person' else '单位'} -{points}）")
    for event in scores.live_keyed(prefix):
        if event.dedupe_key not in wanted:
            scores.void(event, "考勤已更正（补卡或请假获批）", by, release=True)
            lines.append(f"{day} {person.name}：撤销 {event.rule}")
    return lines


def _adjust(person, day: date, wanted: dict, prefix: str, by) -> list[str]:
    """A published month stays as published: a correction is an adjustment on the next month's first day.

    A key stands charged when its charge stands and no credit takes it back, or when a late charge (补记)
    stands in its place; an adjustment no longer right is voided (its key released), never edited.
    """
    lines, when = [], monthly.next_month(day)
    charged = {e.dedupe_key: e for e in scores.live_keyed(prefix)}
    adjusted = {e.dedupe_key[len(ADJUST):]: e for e in scores.live_keyed(f"{ADJUST}{prefix}")}
    for key in sorted(set(wanted) | set(charged) | set(adjusted)):
        stands = (key in charged) != (key in adjusted)
        if (key in wanted) == stands:
            continue
        if key in adjusted:
            scores.void(adjusted[key], "考勤再次更正，取消此前的调整", by, release=True)
            lines.append(f"{day} {person.name}：取消调整 {adjusted[key].rule}")
        elif key in wanted:
            lines += _late_charge(person, day, when, key, wanted[key], by)
        else:
            lines += _credit(person, day, when, key, charged[key], by)
    return lines


def _late_charge(person, day: date, when: date, key: str, charge: tuple, by) -> list[str]:
    subject, points, rule, note = charge
    args = {"subject_user": person} if subject == "person" else {"subject_department": person.department}
    if scores.record(**args, points=-points, rule=f"补记：{rule}", source="attendance", day=when,
                     note=f"{note}（{day:%m月}已公示，计入本月）", key=f"{ADJUST}{key}",
                     department_id=person.department_id, recorded_by=by):
        return [f"{day} {person.name}：补记 {note}"]
    return []


def _credit(person, day: date, when: date, key: str, event, by) -> list[str]:
    unit, note = (None if event.subject_user else event.department), f"{day:%m月}已公示，考勤更正计入本月"
    if scores.record(subject_user=event.subject_user, subject_department=unit, points=-event.points,
                     rule=f"调整：{event.rule}", source="attendance", day=when, note=note,
                     key=f"{ADJUST}{key}", department_id=event.department_id, recorded_by=by):
        return [f"{day} {person.name}：调整 {event.rule}"]
    return []


def _closed(day: date, now: datetime) -> bool:
    """Say whether a day's results are final (the day is over)."""
    return day < now.date()


def close_person_day(person, day: date, by=None, row=None, waiting=None) -> list[str]:
    """Charge (or take back) one person's results of one day (waiting: (user, day) of 补卡 still undecided)."""
    now = clock.local(clock.now()).replace(tzinfo=None)
    if not _closed(day, now):
        return []
    row = row or sheet.range_sheet(person.hall_id, [day], [person])[0]
    if waiting is None:
        waiting = corrections.pending_days(person.hall_id, day, day)
    missed_due = corrections.window_closed(day, now.date()) and (person.id, day) not in waiting
    wanted = _charges(person, day, row.days.get(day, {}), missed_due) if row.mapped else {}
    return _apply(person, day, wanted, f"{_key(person.id, day)}:", by)


def close_day(hall_id: int, day: date, by=None) -> list[str]:
    """Close a day of the hall: every result charged once, corrected results reversed, overruns charged.

    The missed punches of the days whose 补卡 window ended with this day are charged now, so are the days
    of emergency leave whose paperwork was due and never came, and the year's send-back thresholds are
    checked: a person newly over one is noted for the center.
    """
    people, lines = sheet.hall_people(hall_id), []
    for when in [day, *_window_ends_on(day)]:
        waiting = corrections.pending_days(hall_id, when, when)
        for row in sheet.range_sheet(hall_id, [when], people):
            if when == day or any(r.status == "missed" for r in row.days.get(when, {}).values()):
                lines += close_person_day(row.person, when, by, row, waiting)
    lines += _overruns(hall_id, day) + _lapsed_paperwork(hall_id, day, by)
    return lines + sendback.note_flags(hall_id, day)


def _window_ends_on(day: date) -> list[date]:
    """Return the earlier days whose 补卡 window ended with this day: their missed punches are now due."""
    back = [date.fromordinal(day.toordinal() - n) for n in range(1, WINDOW_LOOKBACK)]
    return [d for d in back if corrections.last_day_to_ask(d) == day]


def _overruns(hall_id: int, day: date) -> list[str]:
    """Charge approved leave whose coming back (销假) was due on the day and was not reported in time."""
    now, lines = clock.local(clock.now()).replace(tzinfo=None), []
    rows = db.session.execute(select(LeaveRequest).where(
        LeaveRequest.hall_id == hall_id, LeaveRequest.state == "approved", LeaveRequest.last_day <= day,
        LeaveRequest.last_day >= date.fromordinal(day.toordinal() - 31))).scalars().all()
    for leave in rows:
        due = return_due(leave)
        if due.date() != day or now <= due or not is_overrun(leave, now):
            continue
        person, note = leave.user, f"请假应于 {due:%m-%d %H:%M} 前销假，未按时销假"
        wanted = {f"{PREFIX}leave:{leave.id}:overrun:person": ("person", office.rates(person)["late"],
                                                               "请假超假", note)}
        if person.department is not None and not office.is_office(person):
            wanted[f"{PREFIX}leave:{leave.id}:overrun:unit"] = ("unit", rules.get("attendance.unit_late_points"),
                                                               f"请假超假：{person.name}", note)
        lines += _apply(person, day, wanted, f"{PREFIX}leave:{leave.id}:", None)
    return lines


def _lapsed_paperwork(hall_id: int, day: date, by) -> list[str]:
    """Re-judge the days of emergency leave whose paperwork was due on the day and never came: now absence."""
    rows = db.session.execute(select(LeaveRequest).where(
        LeaveRequest.hall_id == hall_id, LeaveRequest.emergency.is_(True), LeaveRequest.state == "approved",
        LeaveRequest.paperwork_due == day)).scalars().all()
    return [line for leave in rows if leave.step_row("paperwork") is None for line in recheck_leave(leave, by)]


def recheck(person, day: date, by) -> list[str]:
    """Re-judge one person's day after a correction (an approved 补卡)."""
    return close_person_day(person, day, by)


def recheck_leave(leave: LeaveRequest, by) -> list[str]:
    """Re-judge the past days of a leave: approved late, its absences are taken back; lapsed, they are due."""
    days = sorted({d for d, _h in halves_between(leave.first_day, leave.first_half, leave.last_day, leave.last_half)})
    return [line for d in days for line in close_person_day(leave.user, d, by)]
