"""The red-flag vote in the inbox: each of last month's duty leaders who has not voted, while the vote is open."""
from datetime import datetime

from flask import url_for

from .. import clock
from ..inbox import registry, worktime
from ..roles import Role
from ..rulebook import service as rules
from . import votes
from .sheet import previous


def init_app(_app) -> None:
    """Register the vote with the inbox."""
    registry.register("assessment.red_flag_vote", vote_due, label="流动红旗投票",
                      roles=(Role.DUTY_LEADER, Role.GENERAL_DUTY, Role.ADMIN),
                      watches=("red_flag_vote", "red_flag_award", "duty_day", "duty_override"))


def vote_due(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """Last month's vote, for a duty leader of that month who has not voted: due after the rulebook's days."""
    today = clock.local(now).date()
    year, month = previous(today.year, today.month)
    if not registry.shared(votes.is_open, hall_id, year, month) \
            or person.id in registry.shared(votes.voted, person.hall_id, year, month) \
            or person.id not in registry.shared(votes.voters, hall_id, year, month):
        return []
    due = worktime.close_after(today.replace(day=1), rules.get("assessment.red_flag_vote_days", hall_id) - 1)
    key = f"{year}-{month:02d}"
    return [registry.Item(
        source="assessment.red_flag_vote", title="流动红旗投票",
        detail=f"{year}年{month}月值班长投票：评选流动红旗窗口",
        link=url_for("assessment.awards_vote", month=key), deadline=due, record_type="red_flag_vote",
        record_id=key, severity="warn")]
