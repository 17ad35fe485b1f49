"""The assessment's inbox sources: a unit's published sheet, the month to review, publish or close, objections."""
from datetime import datetime

from flask import url_for

from .. import clock
from ..inbox import registry, worktime
from ..roles import Role
from . import months, objections
from . import sheet as sheets
from .models import PUBLISHED, REVIEWED

WATCHES = ("assessment_month", "assessment_objection", "assessment_sheet")


def init_app(_app) -> None:
    """Register the assessment's sources with the inbox."""
    registry.register("assessment.sheet", unit_sheet, label="月度考核公示", roles=(Role.WINDOW_LEADER,),
                      watches=WATCHES)
    registry.register("assessment.month", month_to_move, label="月度考核流程", roles=(Role.SUPERVISOR, Role.ADMIN),
                      watches=WATCHES + ("score_event",))
    registry.register("assessment.objection", to_rule, label="考核异议裁定", roles=(Role.SUPERVISOR,),
                      watches=WATCHES)


def _last_month(now: datetime):
    today = clock.local(now).date()
    return sheets.previous(today.year, today.month)


def _key(record) -> str:
    return f"{record.year}-{record.month:02d}"


def unit_sheet(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """The unit's published sheet (公示): to read and, if need be, object to until the period ends."""
    if person.department_id is None:
        return []
    return [registry.Item(
        source="assessment.sheet", title="月度考核结果已公示", record_type="assessment_month", record_id=r.id,
        detail=f"{r.label}本单位考核表已公示，如有异议请于{r.objection_until:%m月%d日}前提出",
        link=url_for("assessment.unit", department_id=person.department_id, month=_key(r)),
        deadline=worktime.close_after(r.objection_until), severity="info")
        for r in registry.shared(sheets.records, hall_id).values()
        if months.in_objection_period(r, clock.local(now).date())]


def month_to_move(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """Last month's next step: the supervisor reviews it, the admin publishes it, then closes it."""
    year, month = _last_month(now)
    record = registry.shared(sheets.records, hall_id).get((year, month))
    state = record.state if record else "draft"
    today = clock.local(now).date()
    link = url_for("assessment.index", month=f"{year}-{month:02d}")
    common = {"source": "assessment.month", "record_type": "assessment_month", "record_id": f"{year}-{month:02d}",
              "link": link, "deadline": worktime.close_after(today.replace(day=1), 4)}
    if state == "draft" and person.has_role(Role.SUPERVISOR):
        return [registry.Item(title="月度考核待复核", detail=f"{year}年{month}月考核表请复核", **common)]
    if state == REVIEWED and person.has_role(Role.ADMIN):
        return [registry.Item(title="月度考核待公示", detail=f"{year}年{month}月考核表已复核，请公示", **common)]
    open_ = [r for r in registry.shared(sheets.records, hall_id).values()
             if r.state == PUBLISHED and not months.in_objection_period(r, today)]
    if person.has_role(Role.ADMIN):
        return [registry.Item(title="月度考核待结束", detail=f"{r.label}考核异议期已满，请结束", **{
            **common, "record_id": _key(r), "link": url_for("assessment.index", month=_key(r)),
            "deadline": worktime.close_after(r.objection_until, 1)}) for r in open_]
    return []


def to_rule(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """Objections waiting for the supervisor's ruling, before the month can close."""
    items = []
    for record in registry.shared(sheets.records, hall_id).values():
        if record.state != PUBLISHED:
            continue
        for o in registry.shared(months.pending, record):
            items.append(registry.Item(
                source="assessment.objection", title="考核异议待裁定", record_type="assessment_objection",
                record_id=o.id, detail=f"{record.label}：{objections.describe(o)}",
                link=url_for("assessment.objection_list", month=_key(record)),
                deadline=worktime.close_after(record.objection_until, 1)))
    return items
