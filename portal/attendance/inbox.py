"""The attendance inbox sources: device ids with punches but no person, and devices silent since opening."""
from datetime import datetime

from flask import url_for

from .. import clock
from ..inbox import registry, worktime
from ..roles import ATTENDANCE_KEEPERS, Role
from . import adms, devices


def init_app(_app) -> None:
    """Register the attendance sources with the inbox."""
    # Punches come in by bulk insert; the import record and the mapping are the writes that move the inbox.
    registry.register("attendance.unmapped", unmapped, label="考勤号未对应", roles=ATTENDANCE_KEEPERS,
                      watches=("import_batch", "attendance_device_user"))
    registry.register("attendance.silent", silent, label="考勤机未联系", roles=(Role.ADMIN,),
                      watches=("attendance_device",))


def unmapped(person, hall_id: int, now: datetime) -> list[registry.Item]:
    """Device ids whose punches wait for a person: to map by the close of the day."""
    waiting = devices.unmapped(hall_id)
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
        for d in adms.silent_since(hall_id, opened)]
