"""The notice board's inbox sources: must-read notices to acknowledge, draft bulletins to publish."""
from datetime import datetime

from flask import url_for

from .. import clock
from ..inbox import registry, worktime
from ..roles import Role
from ..rulebook import service as rules
from .board import managed, must_read_of, unread_of
from .models import DRAFT

SHOWN_MUST_READ = 50


def init_app(_app) -> None:
    """Register the notice sources with the inbox."""
    registry.register("notices.must_read", must_read, label="必读公告", watches=("notice", "notice_read"))
    registry.register("notices.bulletin", draft_bulletins, label="通报待发布", roles=(Role.ADMIN, Role.SUPERVISOR),
                      watches=("notice",))


def must_read(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """Live must-read notices the person has not acknowledged (已阅知), within the rulebook's working days."""
    days = rules.get("notices.must_read_days")
    return [registry.Item(
        source="notices.must_read", title="必读公告待阅知", detail=n.title, severity="warn",
        link=url_for("notices.show", notice_id=n.id), record_type="notice", record_id=n.id,
        deadline=worktime.close_after(clock.local(n.publish_at).date(), days))
        for n in unread_of(person, registry.shared(must_read_of, person.hall_id, registry.gathered(person), now),
                           SHOWN_MUST_READ)]


def draft_bulletins(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """Draft bulletins (通报) the person may publish, due the rulebook's working days after they were drafted."""
    days = rules.get("notices.bulletin_publish_days")
    return [registry.Item(
        source="notices.bulletin", title="通报待发布", detail=n.title, severity="warn",
        link=url_for("notices.edit", notice_id=n.id), record_type="notice", record_id=n.id,
        deadline=worktime.close_after(clock.local(n.created_at).date(), days))
        for n in managed(person, state=DRAFT) if n.category == "bulletin"]
