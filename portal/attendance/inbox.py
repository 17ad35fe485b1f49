"""The attendance inbox sources: device ids with punches but no person, and devices silent since opening."""
from datetime import datetime

from flask import url_for
from sqlalchemy import exists, select
from sqlalchemy.orm import lazyload

from .. import clock
from ..auth.models import User
from ..extensions import db
from ..inbox import registry, worktime
from ..roles import ATTENDANCE_KEEPERS, Role
from ..rulebook import service as rules
from . import adms, corrections, devices, leave, leave_list, monthly, sendback
from .leave_models import LeaveRequest, LeaveStep


def init_app(_app) -> None:
    """Register the attendance sources with the inbox."""
    # Punches come in by bulk insert; the import record and the mapping are the writes that move the inbox.
    registry.register("attendance.unmapped", unmapped, label="考勤号未对应", roles=ATTENDANCE_KEEPERS,
                      watches=("import_batch", "attendance_device_user"))
    registry.register("attendance.silent", silent, label="考勤机未联系", roles=(Role.ADMIN,),
                      watches=("attendance_device",))
    # A hall may name anyone its duty director, so any role may have leave to decide.
    registry.register("attendance.leave", leave_to_decide, label="请假审批",
                      watches=("attendance_leave", "attendance_leave_step", "attendance_leave_director"))
    registry.register("attendance.paperwork", paperwork_due, label="紧急请假补办手续",
                      watches=("attendance_leave", "attendance_leave_step"))
    registry.register("attendance.correction", corrections_to_decide, label="补卡审批",
                      watches=("attendance_correction",), desk=True)
    # The month's 公示 goes to every window unit: its leader has it until the notice is opened.
    registry.register("attendance.publicity", publicity, label="考勤公示", roles=(Role.WINDOW_LEADER,),
                      watches=("attendance_month", "notice_read"))
    registry.register("attendance.sendback", sendback_due, label="退回原单位研究", roles=(Role.ADMIN,),
                      watches=("attendance_sendback_flag", "attendance_sendback_decision"))
    # Sent back: the unit replaces the person; done once they leave its staff here (an org change).
    registry.register("attendance.sentback", sent_back, label="退回原单位待接替", roles=(Role.WINDOW_LEADER,),
                      watches=("attendance_sendback_decision",))


def unmapped(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """Device ids whose punches wait for a person: to map by the close of the day."""
    waiting = registry.shared(devices.unmapped, hall_id)
    if not waiting:
        return []
    punches = sum(row[3] for row in waiting)
    return [registry.Item(
        source="attendance.unmapped", title="考勤号未对应到人员", record_type="attendance_device_user",
        record_id="unmapped", detail=f"{len(waiting)} 个考勤号的 {punches} 次打卡尚未计入本人",
        link=url_for("attendance.device_users"), deadline=worktime.close_after(clock.local(now).date()))]


def silent(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """Registered devices not heard from since today's opening (a fault to report at once)."""
    opened = worktime.opening(clock.local(now).date())
    if opened is None or now < opened:
        return []
    return [registry.Item(
        source="attendance.silent", title="考勤机未联系", record_type="attendance_device", record_id=d.id,
        detail=f"{d.name or d.serial} 自今天开厅以来没有联系，请检查设备和网络",
        link=url_for("attendance.devices_page"), deadline=opened, severity="urgent")
        for d in registry.shared(adms.silent_since, hall_id, opened)]


def _due(day) -> datetime:
    """Return when a decision on something about a day is due: its opening, or today's close once it passed."""
    today = clock.today()
    return worktime.opening(day) if day > today and worktime.opening(day) else worktime.close_after(today)


def leave_to_decide(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """Leave requests whose current step this person decides: before the leave begins."""
    waiting = _waiting_for(person, hall_id)
    if waiting:  # the names of whoever asked: read for every pending request at once, once some are shown
        registry.shared(_pending_people, hall_id)
    return [registry.Item(
        source="attendance.leave", title="请假待审批", record_type="attendance_leave", record_id=r.id,
        detail=f"{r.user.name} {r.kind_label} {r.window_label}（{r.days:g} 天）",
        link=url_for("attendance.leave_detail", leave_id=r.id), deadline=_due(r.first_day))
        for r in waiting]


def _waiting_for(person, hall_id: int) -> list[LeaveRequest]:
    """The hall's pending requests whose current step the person decides (read once for the hall)."""
    if person.hall_id != hall_id:
        return []  # one decides only the requests of the hall one acts in
    rows = registry.shared(_pending_leave, hall_id)
    directors = registry.shared(leave.director_ids, hall_id) if any(s == "director" for _r, s in rows) else set()
    return [r for r, step in rows if leave.may_decide(person, r, step, directors=directors)]


def _pending_leave(hall_id: int) -> list[tuple[LeaveRequest, str | None]]:
    return [(r, leave.current_step(r)) for r in leave_list.pending(hall_id)]


def _pending_people(hall_id: int) -> None:
    _load_people({r.user_id for r, _step in registry.shared(_pending_leave, hall_id)})


def _load_people(ids) -> None:
    """Read the people items name in one query (their rows then come from the session, not one by one)."""
    if ids:
        db.session.execute(select(User).where(User.id.in_(ids)).options(lazyload(User.role_rows))).scalars().all()


def paperwork_due(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """The person's emergency leave whose written slip is still due (after the due day it is absence)."""
    today = clock.local(now).date()
    return [registry.Item(
        source="attendance.paperwork", title="紧急请假待补办手续", record_type="attendance_leave", record_id=r.id,
        detail=f"{r.kind_label} {r.window_label}，{r.paperwork_due:%m月%d日}前补办，逾期按旷工处理",
        link=url_for("attendance.leave_detail", leave_id=r.id), deadline=worktime.close_after(r.paperwork_due),
        severity="urgent")
        for r in registry.shared(_paperwork_due, hall_id, today).get(person.id, [])]


def _paperwork_due(hall_id: int, today) -> dict[int, list[LeaveRequest]]:
    """The hall's emergency leave whose slip is still due (no 补办 step yet, due day not passed), by person."""
    done = exists().where(LeaveStep.leave_id == LeaveRequest.id, LeaveStep.step == "paperwork")
    rows = db.session.execute(select(LeaveRequest).where(
        LeaveRequest.hall_id == hall_id, LeaveRequest.emergency.is_(True), LeaveRequest.paperwork_due >= today, ~done)
        .options(lazyload(LeaveRequest.steps)).order_by(LeaveRequest.first_day.desc(), LeaveRequest.id.desc())
        ).scalars().all()
    out: dict[int, list[LeaveRequest]] = {}
    for r in rows:
        out.setdefault(r.user_id, []).append(r)
    return out


def corrections_to_decide(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """补卡 requests for the duty leader holding the desk: by today's close."""
    return [registry.Item(
        source="attendance.correction", title="补卡待审批", record_type="attendance_correction", record_id=c.id,
        detail=f"{c.user.name} {c.day:%m月%d日} 补卡 {c.punched_at:%H:%M}：{c.reason}",
        link=url_for("attendance.corrections_page"), deadline=worktime.close_after(clock.local(now).date()))
        for c in registry.shared(_pending_corrections, hall_id) if c.user_id != person.id]


def _pending_corrections(hall_id: int):
    rows = corrections.pending(hall_id)
    _load_people({c.user_id for c in rows})
    return rows


def publicity(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """The month's 公示 sent to the person's unit, until they open it: within the rulebook's working days."""
    if person.department_id is None:
        return []
    days = rules.get("attendance.publicity_read_days")
    return [registry.Item(
        source="attendance.publicity", title="考勤公示待查阅", record_type="attendance_month", record_id=m.id,
        detail=f"{m.year}年{m.month}月考勤情况公示已发布，请查阅本单位人员的考勤结果",
        link=url_for("notices.show", notice_id=m.notice_id), severity="info",
        deadline=worktime.close_after(clock.local(m.published_at).date(), days))
        for m in monthly.unread_by(person, hall_id, registry.shared(monthly.published, hall_id))]


def sendback_due(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """People over a send-back threshold the center director has not decided on: one item a person and year."""
    days, first = rules.get("attendance.sendback_decide_days"), {}
    for flag in registry.shared(_open_flags, hall_id):
        first.setdefault((flag.user_id, flag.year), []).append(flag)
    return [registry.Item(
        source="attendance.sendback", title="退回原单位待研究", record_type="attendance_sendback_flag",
        record_id=flags[0].id, detail=f"{flags[0].user.name} {year}年{_reasons(flags)}达到退回标准",
        link=url_for("attendance.sendback_page", year=year, _anchor=f"sendback-{uid}"),
        deadline=worktime.close_after(flags[0].flagged_on, days))
        for (uid, year), flags in first.items()]


def _open_flags(hall_id: int):
    rows = sendback.open_flags(hall_id)
    _load_people({f.user_id for f in rows})
    return rows


def _reasons(flags) -> str:
    return "、".join(f.reason_label for f in flags)


def sent_back(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """People of the leader's unit the center sent back: the unit sends a replacement to the window."""
    if person.department_id is None:
        return []
    days = rules.get("attendance.sendback_replace_days")
    return [registry.Item(
        source="attendance.sentback", title="退回原单位待接替", record_type="attendance_sendback_decision",
        record_id=d.id, detail=f"{f.user.name}经中心研究退回原单位（{d.note}），请选派人员接替窗口工作",
        link=url_for("attendance.person_month", user_id=f.user_id), severity="urgent",
        deadline=worktime.close_after(clock.local(d.at).date(), days))
        for d, f in registry.shared(sendback.sent_back_by_unit, hall_id).get(person.department_id, [])]
