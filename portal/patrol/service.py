"""Patrol rounds: start, record a window, finish; rounds done and due; the day's close."""
import random
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from .. import clock
from ..audit import service as audit
from ..auth.models import User
from ..duty import service as duty
from ..extensions import db
from ..inbox import pulse
from ..org.models import Department, Hall, Window
from ..rawquery import DriverStatement, together
from ..records import hall_record
from ..rulebook import calendar
from ..rulebook import service as rules
from ..scores import service as scores
from ..uploads import service as uploads
from . import checklist, findings
from .findings import PHOTO_OWNER, PatrolError
from .models import ChecklistItem, PatrolFinding, PatrolFindingVoid, PatrolRound, PatrolSlot, PatrolVisit

__all__ = ["PHOTO_OWNER", "PatrolError"]

def on_leave(day: date, hall_id: int) -> set[int]:
    """Return who of the hall is out on an approved short leave slip that day, not yet back (user ids)."""
    return duty.still_out_on(day, hall_id)


# --- rounds ---------------------------------------------------------------------------------

def start_round(user) -> PatrolRound:
    """Start a round for the person, or return their unfinished round of today."""
    today = clock.today()
    open_round = db.session.execute(select(PatrolRound).where(
        PatrolRound.patroller_id == user.id, PatrolRound.day == today,
        PatrolRound.finished_at.is_(None))).scalar()
    if open_round is not None:
        return open_round
    template = checklist.current(user.hall_id, user)
    patrol = PatrolRound(hall_id=user.hall_id, patroller_id=user.id, template_id=template.id, day=today,
                         started_at=clock.now())
    db.session.add(patrol)
    db.session.flush()
    return patrol


_ROUND = (select(PatrolRound).where(PatrolRound.id == bindparam("round"))
          .options(joinedload(PatrolRound.patroller).lazyload(User.role_rows), joinedload(PatrolRound.template)))


def round_for(user, round_id: int) -> PatrolRound:
    """Return a round of the person's hall with its patroller and checklist, or an audited 404."""
    patrol = db.session.execute(_ROUND, {"round": round_id}).scalar()
    if patrol is None or patrol.hall_id != user.hall_id:
        hall_record(PatrolRound, round_id, hall_id=user.hall_id)  # answers the audited 404
    return patrol


class Round(NamedTuple):
    """A round as a visit's save needs it (its columns; the checklist's items are read only to show the form)."""

    id: int
    hall_id: int
    day: date
    template_id: int
    finished_at: datetime | None

    @property
    def finished(self) -> bool:
        return self.finished_at is not None


class Unit(NamedTuple):
    """A window's department as a ledger event needs it."""

    id: int
    hall_id: int


class Post(NamedTuple):
    """A person on a window's post as a finding and its ledger event need them."""

    id: int
    hall_id: int
    department_id: int | None


class WindowPosts(NamedTuple):
    """A window with the people on its posts, as a visit's save needs it (a Window has the same attributes)."""

    id: int
    hall_id: int
    number: int
    department_id: int
    department: Unit | None
    a_post: Post | None
    b_post: Post | None


_R, _W, _D = PatrolRound.__table__, Window.__table__, Department.__table__
_A, _B = User.__table__.alias("a"), User.__table__.alias("b")
# The round, the window (of any hall: checked after), its department, its posts and whether each is out on a
# short leave slip that day, in one statement (built once).
_TARGET = (select(_R.c.id, _R.c.hall_id, _R.c.day, _R.c.template_id, _R.c.finished_at,
                  _W.c.id, _W.c.hall_id, _W.c.number, _W.c.department_id, _D.c.id, _D.c.hall_id,
                  _A.c.id, _A.c.hall_id, _A.c.department_id, duty.still_out(_A.c.id, _R.c.day, _R.c.hall_id),
                  _B.c.id, _B.c.hall_id, _B.c.department_id, duty.still_out(_B.c.id, _R.c.day, _R.c.hall_id))
           .select_from(_R.outerjoin(_W, _W.c.id == bindparam("window"))
                        .outerjoin(_D, _D.c.id == _W.c.department_id).outerjoin(_A, _A.c.id == _W.c.a_post_id)
                        .outerjoin(_B, _B.c.id == _W.c.b_post_id))
           .where(_R.c.id == bindparam("round")))


_I = ChecklistItem.__table__
# The items of the round's checklist version, as a finding needs them (a version's items are a few dozen).
_ROUND_ITEMS = (select(_I.c.id, _I.c.label, _I.c.section, _I.c.person_centi, _I.c.unit_centi)
                .where(_I.c.template_id == select(_R.c.template_id).where(_R.c.id == bindparam("round"))
                       .scalar_subquery()))
_TARGET_RUN, _ROUND_ITEMS_RUN = DriverStatement(_TARGET), DriverStatement(_ROUND_ITEMS)


class Target(NamedTuple):
    """What a visit's save reads before it writes (visit_target)."""

    patrol: Round
    window: WindowPosts
    known: tuple[set, set]  # the window's posts, and those of them out on leave today
    items: dict | None  # the round's checklist items by id, when asked for


def visit_target(user, round_id: int, window_id: int, with_items: bool = False) -> Target:
    """Return a round of the person's hall, one of its hall's windows with its posts, and (the posts, those of
    them out on leave today), in one statement, with the round's checklist items if asked (at once: one round
    trip on PostgreSQL); a round or window of another hall answers the audited 404."""
    runs = [(_TARGET_RUN, {"round": round_id, "window": window_id})]
    if with_items:
        runs.append((_ROUND_ITEMS_RUN, {"round": round_id}))
    found = together(db.session.connection(), runs)
    row = found[0][0] if found[0] else None
    if row is None or row[1] != user.hall_id:
        hall_record(PatrolRound, round_id, hall_id=user.hall_id)  # answers the audited 404
    patrol = Round(*row[:5])
    if row[5] is None or row[6] != patrol.hall_id:
        hall_record(Window, window_id, hall_id=patrol.hall_id)  # answers the audited 404
    posts = [(Post(*row[k:k + 3]), bool(row[k + 3])) for k in (11, 15) if row[k] is not None]
    a_post = next((p for p, _out in posts if p.id == row[11]), None)
    b_post = next((p for p, _out in posts if p.id == row[15]), None)
    unit = Unit(*row[9:11]) if row[9] is not None else None
    window = WindowPosts(*row[5:9], unit, a_post, b_post)
    return Target(patrol, window, ({p.id for p, _out in posts}, {p.id for p, out in posts if out}),
                  {r.id: r for r in found[1]} if with_items else None)


def finish_round(patrol: PatrolRound) -> None:
    """Close a round; it then counts toward the day's rounds done."""
    if patrol.finished:
        raise PatrolError("本次巡查已经结束", 409)
    patrol.finished_at = clock.now()


# Both counts in one statement, built once.
PROGRESS = select(
    select(func.count(func.distinct(PatrolVisit.window_id))).where(PatrolVisit.round_id == bindparam("round"))
    .scalar_subquery(),
    select(func.count(Window.id)).where(Window.hall_id == bindparam("hall"), Window.active.is_(True))
    .scalar_subquery())


def progress(patrol: PatrolRound) -> tuple[int, int]:
    """Return (windows checked in the round, active windows of the hall), in one query."""
    checked, total = db.session.execute(PROGRESS, {"round": patrol.id, "hall": patrol.hall_id}).one()
    return checked, total


@dataclass
class Entry:
    """What the patroller entered on a window's card."""

    outcome: str  # ok | findings | na
    picks: list = field(default_factory=list)  # (item_id, person_id or None)
    note: str = ""
    na_reason: str = ""
    corrected: bool = False
    serious: bool = False
    confirm_leave: bool = False


def leave_conflicts(patrol, entry: Entry, known: tuple[set, set] | None = None) -> list[int]:
    """Return the people picked in findings who are on approved leave today.

    known: (the window's posts, those of them out), read with the window (visit_target): no read of its own
    when every person picked is on a post.
    """
    picked = {p for _i, p in entry.picks if p is not None}
    leave = known[1] if known is not None and picked <= known[0] else on_leave(patrol.day, patrol.hall_id)
    return sorted(picked & leave)


class RecordedVisit(NamedTuple):
    """A visit just recorded: what its answer, its photos and its ledger events need of it."""

    id: int
    at: datetime
    day: date
    corrected: bool


_NEW_VISIT, _NEW_FINDING = insert(PatrolVisit.__table__), insert(PatrolFinding.__table__)  # built once


def record_visit(user, patrol, window, entry: Entry, known: tuple[set, set] | None = None,
                 items: dict | None = None) -> RecordedVisit:
    """Append a visit with its findings and put their points in the ledger.

    patrol and window: a PatrolRound and a Window, or visit_target's columns of them (with its known posts on
    leave and the round's checklist items). Plain inserts on the session's connection (no ORM objects to build
    and flush), each audited exactly as a flush audits the ORM's insert of it; the inbox versions move on as
    that flush's would.
    """
    _check_entry(patrol, entry, known)
    values = {"round_id": patrol.id, "hall_id": patrol.hall_id, "window_id": window.id,
              "department_id": window.department_id, "by_id": user.id, "at": clock.now(), "day": patrol.day,
              "outcome": entry.outcome, "note": entry.note.strip()[:2000], "na_reason": entry.na_reason.strip()[:200],
              "corrected": entry.corrected, "serious": entry.serious}
    found = findings.build(patrol.template_id, window, entry.picks, findings.waives(entry.corrected, entry.serious),
                           items)
    connection = db.session.connection()
    visit = RecordedVisit(connection.execute(_NEW_VISIT, values).inserted_primary_key[0], values["at"],
                          values["day"], values["corrected"])
    audit.record_created(PatrolVisit, visit.id, values)
    event_halls = findings.to_ledger(user, visit, window, found)  # the events' ids go into the findings' columns
    for row in found:
        row["visit_id"] = visit.id
        audit.record_created(PatrolFinding, connection.execute(_NEW_FINDING, row).inserted_primary_key[0], row)
    finding_halls = {pulse.acting_hall() or pulse.ALL_HALLS} if found else set()  # its table has no hall column
    pulse.note_written(db.session(), {"patrol_visit": {patrol.hall_id}, "score_event": event_halls,
                                      "patrol_finding": finding_halls})
    return visit


def _check_entry(patrol, entry: Entry, known: tuple[set, set] | None = None) -> None:
    if patrol.finished:
        raise PatrolError("本次巡查已经结束，不能再记录", 409)
    if entry.outcome == "na" and not entry.na_reason.strip():
        raise PatrolError("请填写不适用的原因")
    if entry.outcome == "findings" and not entry.picks:
        raise PatrolError("请勾选发现的问题，或点“全部正常”")
    if leave_conflicts(patrol, entry, known) and not entry.confirm_leave:
        raise PatrolError("所选人员今天已请假，请确认后再保存", 409)


def attach_photos(user, visit: PatrolVisit, files) -> list[str]:
    """Store the visit's photos; return a Chinese message for each refused one (the visit is kept)."""
    refused, limit = [], rules.get("patrol.max_photos")
    for n, upload in enumerate(f for f in files if f and f.filename):
        if n >= limit:
            refused.append(f"每次最多上传 {limit} 张照片，“{upload.filename}”未保存")
            continue
        try:
            uploads.save(upload, "image", PHOTO_OWNER, visit.id, user)
        except uploads.UploadRefused as error:
            refused.append(str(error))
    return refused


# --- rounds done and due, drawn times, the day's close ----------------------------------------------

def rounds_due(day: date) -> int:
    """Return how many patrols the rulebook asks for on this day (none on a day off)."""
    return rules.get("patrol.per_day") if calendar.is_working_day(day) else 0


def rounds_status(day: date, hall_id: int) -> tuple[int, int]:
    """Return (rounds done, rounds due) for a hall's day: finished rounds count."""
    done = db.session.execute(select(func.count(PatrolRound.id)).where(
        PatrolRound.hall_id == hall_id, PatrolRound.day == day, PatrolRound.finished_at.is_not(None))).scalar_one()
    return done, rounds_due(day)


def slots_of(hall_id: int, day: date) -> list[PatrolSlot]:
    """Return the drawn patrol times of a day."""
    return db.session.execute(select(PatrolSlot).where(PatrolSlot.hall_id == hall_id, PatrolSlot.day == day)
                              .order_by(PatrolSlot.slot)).scalars().all()


def _working_spans(day: date) -> list[tuple[datetime, datetime]]:
    tz = clock.hall_tz()
    return [(datetime.combine(day, a, tzinfo=tz), datetime.combine(day, b, tzinfo=tz))
            for a, b in rules.office_hours(day).values()]


def draw_times(user, day: date, rng: random.Random | None = None) -> list[PatrolSlot]:
    """Draw the day's unannounced patrol times: half in the morning, half in the afternoon (once a day)."""
    existing = slots_of(user.hall_id, day)
    if existing:
        return existing
    due = rounds_due(day)
    if not due:
        raise PatrolError("今天不是工作日，不需要巡查")
    rng = rng or random.SystemRandom()
    morning = (due + 1) // 2
    n = 0
    for (begin, end), count in zip(_working_spans(day), (morning, due - morning), strict=True):
        share = (end - begin) / max(count, 1)
        for k in range(count):
            n += 1
            at = begin + share * k + share * rng.uniform(0.1, 0.9)
            db.session.add(PatrolSlot(hall_id=user.hall_id, day=day, slot=n, at=at.replace(second=0, microsecond=0),
                                      patroller_id=user.id, drawn_by_id=user.id))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise PatrolError("今天的巡查时间已由他人抽取，请刷新页面", 409) from None
    return slots_of(user.hall_id, day)


def close_day(day: date) -> list[str]:
    """Turn each missed round of the day into a deduction for the answerable patroller, once."""
    lines = []
    staffed = select(Window.hall_id).where(Window.active.is_(True))
    for hall in db.session.execute(select(Hall).where(Hall.active.is_(True), Hall.id.in_(staffed))
                                   .order_by(Hall.id)).scalars():
        with calendar.batch(hall.id):  # the station's own rulebook and calendar, outside a request
            lines += _missed_rounds(hall, day)
    db.session.commit()
    return lines


def _missed_rounds(hall: Hall, day: date) -> list[str]:
    """Charge the hall's missed rounds of the day to whoever was answerable, once each."""
    lines = []
    done, due = rounds_status(day, hall.id)
    slots = {s.slot: s for s in slots_of(hall.id, day)}
    for n in range(done + 1, due + 1):
        slot = slots.get(n)
        named = db.session.get(User, slot.patroller_id) if slot and slot.patroller_id else None
        who = named or duty.holder(hall.id, day).leader
        if who is None:
            lines.append(f"{hall.name} {day} 第{n}次巡查未完成，但没有可追责的巡查人")
            continue
        added = scores.record(who, points=-rules.get("patrol.missed_points"), rule=f"少巡查一次（第{n}次）",
                              source="missed_patrol", day=day, key=f"patrol-missed:{hall.id}:{day}:{n}")
        lines.append(f"{hall.name} {day} 第{n}次巡查未完成：{who.name}" + ("扣分" if added else "已扣过，不重复"))
    return lines


def month_by_hall(hall_ids: list[int], year: int, month: int) -> dict[int, dict]:
    """Return each hall's month of patrols, in two queries whatever the number of halls (the county's table)."""
    first, after = scores.month_range(year, month)
    out = {h: {"rounds": 0, "findings": 0, "finding_centi": 0} for h in hall_ids}
    rounds = db.session.execute(
        select(PatrolRound.hall_id, func.count(PatrolRound.id))
        .where(PatrolRound.hall_id.in_(hall_ids), PatrolRound.day >= first, PatrolRound.day < after,
               PatrolRound.finished_at.is_not(None)).group_by(PatrolRound.hall_id)).all()
    for hall_id, count in rounds:
        out[hall_id]["rounds"] = count
    found = db.session.execute(
        select(PatrolVisit.hall_id, func.count(PatrolFinding.id),
               func.sum(PatrolFinding.person_centi + PatrolFinding.unit_centi))
        .join(PatrolVisit, PatrolFinding.visit_id == PatrolVisit.id)
        .outerjoin(PatrolFindingVoid, PatrolFindingVoid.finding_id == PatrolFinding.id)
        .where(PatrolVisit.hall_id.in_(hall_ids), PatrolVisit.day >= first, PatrolVisit.day < after,
               PatrolFindingVoid.id.is_(None)).group_by(PatrolVisit.hall_id)).all()
    for hall_id, count, centi in found:
        out[hall_id].update(findings=count, finding_centi=int(centi or 0))
    return out
