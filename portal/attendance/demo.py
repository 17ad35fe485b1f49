"""Demo attendance: a registered device, last month imported from its file, this month pushed by it."""
import random
from datetime import date, datetime, timedelta

from sqlalchemy import select

from .. import clock
from ..auth.models import User
from ..extensions import db
from ..imports import service as imports
from ..roles import Role
from ..rulebook import calendar
from ..rulebook import service as rules
from . import adms, formats, service
from .leave_demo import seed_leave
from .models import DeviceUser
from .punches import SPEC

SERIAL = "DEMO-ZK-0001"
UNMAPPED_PIN = "8888"  # a new clerk enrolled on the device but not yet mapped: listed, punches kept


def seed_demo(hall) -> None:
    """Register the demo device, map the staff's ids, import last month's file and push this month's punches."""
    admin = db.session.execute(select(User).where(User.login == "admin")).scalar_one_or_none()
    staff = db.session.execute(select(User).where(
        User.hall_id == hall.id, User.department_id.is_not(None), User.role_rows.any(role=Role.STAFF.value))
        .order_by(User.id)).scalars().all()
    if not staff:
        return
    device = adms.register(hall.id, SERIAL, "大厅一楼考勤机", adms.DEFAULT_ORDER, admin)
    pins = {u.id: str(1000 + i) for i, u in enumerate(staff)}
    db.session.add_all([DeviceUser(hall_id=hall.id, source="zkteco", device_user_id=pin, user_id=uid,
                                   mapped_by_id=getattr(admin, "id", None), mapped_at=clock.now())
                        for uid, pin in pins.items()])
    db.session.commit()
    rng, today = random.Random(2026), clock.today()
    first_of_month = today.replace(day=1)
    last_month = calendar.working_days((first_of_month - timedelta(days=1)).replace(day=1),
                                       first_of_month - timedelta(days=1))
    data = _attlog(list(pins.values()), last_month, rng, special=True)
    shown = imports.preview(SPEC, hall.id, admin, "1_attlog.dat", data, service.profile(hall.id, formats.ZKTECO))
    imports.confirm(SPEC, hall.id, shown.token, admin)
    this_month = calendar.working_days(first_of_month, today - timedelta(days=1))
    if this_month:
        adms.receive(device, _attlog(list(pins.values()), this_month, rng, special=False))
    seed_leave(hall.id, staff)


def _attlog(pins: list[str], days: list[date], rng: random.Random, special: bool) -> bytes:
    """Write punches as a ZKTeco attlog: some late, and (last month) one absence and one missed punch."""
    lines = []
    for n, day in enumerate(days):
        hours = rules.office_hours(day)
        for i, pin in enumerate(pins):
            if special and i == 0 and n == 2:
                continue  # one day of absence (旷工)
            times = _day_times(day, hours, rng)
            if special and i == 1 and n == 4:
                times = times[:3]  # a missed afternoon sign-out (缺卡)
            lines += [f"{pin}\t{t:%Y-%m-%d %H:%M:%S}\t{k % 2}\t1\t0\t0" for k, t in enumerate(times)]
        if n < 3:
            lines.append(f"{UNMAPPED_PIN}\t{datetime.combine(day, hours['am'][0]):%Y-%m-%d %H:%M:%S}\t0\t1\t0\t0")
    return ("\r\n".join(lines) + "\r\n").encode()


def _day_times(day: date, hours: dict, rng: random.Random) -> list[datetime]:
    def at(t, low, high):
        return datetime.combine(day, t) + timedelta(minutes=rng.randrange(low, high), seconds=rng.randrange(60))
    late = rng.random() < 0.04
    return [at(hours["am"][0], 35, 55) if late else at(hours["am"][0], -15, -1), at(hours["am"][1], 0, 10),
            at(hours["pm"][0], -15, -1), at(hours["pm"][1], 0, 10)]
