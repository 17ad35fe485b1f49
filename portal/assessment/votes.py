"""The duty leaders' vote for the month's red flags (值班长投票), held at the duty desk once the month is over."""
from collections import Counter
from datetime import date

from sqlalchemy import select

from .. import clock
from ..duty import service as duty
from ..extensions import db
from ..org.models import Department
from ..refusals import Refusal
from ..rulebook import service as rules
from ..scores import service as scores
from .award_models import RedFlagAward, RedFlagVote


class VoteError(Refusal):
    """A refused red-flag vote, with a Chinese message and the HTTP status to answer."""


def voters(hall_id: int, year: int, month: int) -> set[int]:
    """Return the ids of the month's duty leaders: whoever held the desk on one of its days."""
    start, end = scores.month_range(year, month)
    held = duty.holders(hall_id, start, date.fromordinal(end.toordinal() - 1))
    return {h.leader.id for h in held.values() if h.leader is not None}


def counts(hall_id: int, year: int, month: int) -> tuple[dict[int, int], int]:
    """Return the votes of each unit for the month, and how many duty leaders voted."""
    rows = db.session.execute(select(RedFlagVote.voter_id, RedFlagVote.department_id).where(
        RedFlagVote.hall_id == hall_id, RedFlagVote.year == year, RedFlagVote.month == month)).all()
    return dict(Counter(d for _, d in rows)), len({v for v, _ in rows})


def has_voted(user, year: int, month: int) -> bool:
    """Say whether the person has voted for the month's red flags."""
    return db.session.execute(select(RedFlagVote.id).where(
        RedFlagVote.hall_id == user.hall_id, RedFlagVote.year == year, RedFlagVote.month == month,
        RedFlagVote.voter_id == user.id).limit(1)).first() is not None


def voted(hall_id: int, year: int, month: int) -> set[int]:
    """Return who has voted for the month's red flags (has_voted of many people, in one query)."""
    return set(db.session.execute(select(RedFlagVote.voter_id).where(
        RedFlagVote.hall_id == hall_id, RedFlagVote.year == year, RedFlagVote.month == month)).scalars())


def is_open(hall_id: int, year: int, month: int) -> bool:
    """Say whether the month's vote is open: the month is over and its red flags are not yet awarded."""
    if clock.today() < scores.month_range(year, month)[1]:
        return False
    return db.session.execute(select(RedFlagAward.id).where(
        RedFlagAward.hall_id == hall_id, RedFlagAward.year == year, RedFlagAward.month == month)
        .limit(1)).first() is None


def cast(user, year: int, month: int, department_ids: list) -> list[RedFlagVote]:
    """Record a duty leader's vote for up to the month's number of red flags; a vote is final."""
    if user.id not in voters(user.hall_id, year, month):
        raise VoteError("只有本月担任过值班长的人员可以投票", 409)
    if not is_open(user.hall_id, year, month):
        raise VoteError("本月投票尚未开始或已经结束（月份结束后、流动红旗评定前投票）", 409)
    if has_voted(user, year, month):
        raise VoteError("您已投过本月的票，投票不能更改", 409)
    chosen = _units(user.hall_id, department_ids)
    most = rules.get("assessment.red_flags_per_month", user.hall_id)
    if not chosen or len(chosen) > most:
        raise VoteError(f"请选择 1 至 {most} 个窗口单位", 422)
    now = clock.now()
    rows = [RedFlagVote(hall_id=user.hall_id, year=year, month=month, voter_id=user.id, department_id=d,
                        cast_at=now) for d in chosen]
    db.session.add_all(rows)
    db.session.flush()
    return rows


def _units(hall_id: int, department_ids: list) -> list[int]:
    """Return the distinct ids given that are window units of the hall; another's id is refused."""
    wanted = {int(d) for d in department_ids if str(d).isdigit()}
    found = set(db.session.execute(select(Department.id).where(
        Department.id.in_(wanted), Department.hall_id == hall_id, Department.kind == "window_unit")).scalars())
    if found != wanted:
        raise VoteError("所选窗口单位不在本大厅", 422)
    return sorted(found)
