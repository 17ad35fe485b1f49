"""Device user ids (考勤号) and the people they belong to: mapped once, unmapped ones listed with their punches."""
from sqlalchemy import and_, func, select

from .. import clock
from ..auth.models import User
from ..extensions import db
from ..refusals import Refusal
from .models import DeviceUser, Punch

SOURCE_LABELS = {"zkteco": "中控考勤机", "zk_desktop": "考勤管理系统", "dingtalk": "钉钉", "generic": "通用文件"}


def unmapped(hall_id: int) -> list:
    """Return the device ids with punches but no person: source, id, name on device, count, first, last."""
    mapped = and_(DeviceUser.hall_id == Punch.hall_id, DeviceUser.source == Punch.source,
                  DeviceUser.device_user_id == Punch.device_user_id)
    q = (select(Punch.source, Punch.device_user_id, func.max(Punch.name_on_device), func.count(Punch.id),
                func.min(Punch.punched_at), func.max(Punch.punched_at))
         .outerjoin(DeviceUser, mapped).where(Punch.hall_id == hall_id, DeviceUser.id.is_(None))
         .group_by(Punch.source, Punch.device_user_id).order_by(Punch.source, Punch.device_user_id))
    return db.session.execute(q).all()


def mapped(hall_id: int) -> list[DeviceUser]:
    """Return the hall's mapped device ids with their people."""
    return db.session.execute(select(DeviceUser).where(DeviceUser.hall_id == hall_id)
                              .order_by(DeviceUser.source, DeviceUser.device_user_id)).scalars().all()


def map_id(hall_id: int, source: str, device_user_id: str, user_id: int | None, by) -> DeviceUser:
    """Map a device id to a person of the hall, once; a second mapping of the same id is refused."""
    device_user_id = (device_user_id or "").strip()
    if not source or not device_user_id:
        raise Refusal("请指明考勤号")
    person = db.session.get(User, user_id) if user_id else None
    if person is None or person.hall_id != hall_id:
        raise Refusal("请选择本大厅的人员")
    taken = db.session.execute(select(DeviceUser).where(
        DeviceUser.hall_id == hall_id, DeviceUser.source == source,
        DeviceUser.device_user_id == device_user_id)).scalar_one_or_none()
    if taken is not None:
        raise Refusal(f"考勤号 {device_user_id} 已对应到{taken.user.name}", 409)
    row = DeviceUser(hall_id=hall_id, source=source, device_user_id=device_user_id, user_id=person.id,
                     mapped_by_id=getattr(by, "id", None), mapped_at=clock.now())
    db.session.add(row)
    db.session.commit()
    return row


def people(hall_id: int) -> list[User]:
    """Return the hall's active people, for the mapping form."""
    return db.session.execute(select(User).where(User.hall_id == hall_id, User.active.is_(True))
                              .order_by(User.name)).scalars().all()
