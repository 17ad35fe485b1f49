"""Demo stations under the demo center: two township stations with windows, staff, a roster and a screen."""
import itertools
from datetime import timedelta

from .. import clock
from ..auth import passwords
from ..auth.models import User
from ..display.models import DisplayScreen
from ..duty import rotation
from ..extensions import db
from ..org.models import Department, Hall, Window
from ..org.service import add_hall
from ..roles import Role

# (station, township level, its units and windows)
STATIONS = [
    ("城关镇便民服务站", [("民政社保", 2), ("综合受理", 2)]),
    ("东关街道便民服务站", [("综合受理", 2), ("农业服务", 1)]),
]
# (login, roles, where: "center" or the index of a station)
COUNTY_ACCOUNTS = [
    ("xianguan", [Role.COUNTY_ADMIN], "center"),
    ("xianducha", [Role.COUNTY_SUPERVISOR], "center"),
    ("zhanzhang", [Role.ADMIN], 0),
]

_LOGINS = itertools.count(1)


def seed_demo(center: Hall, names, password: str) -> list[Hall]:
    """Add the demo stations under the center and the county demo accounts."""
    stations = [_station(center, name, units, names, n) for n, (name, units) in enumerate(STATIONS)]
    for login, roles, where in COUNTY_ACCOUNTS:
        hall = center if where == "center" else stations[where]
        user = User(hall=hall, name=next(names), login=login)
        user.set_roles(roles)
        passwords.set_password(user, password, must_change=False)
        db.session.add(user)
    db.session.commit()
    return stations


def _station(center: Hall, name: str, units, names, n: int) -> Hall:
    hall = add_hall(Hall(name=name, level="township", parent=center, phone=f"0931-555{n + 1:04d}"))
    office = Department(hall=hall, name="站办公室", kind="center_office")
    db.session.add(office)
    number, leaders = 1, []
    for order, (unit, count) in enumerate(units):
        dept = Department(hall=hall, name=unit, kind="window_unit", sort_order=order)
        db.session.add(dept)
        for _ in range(count):
            a, b = _person(hall, dept, names), _person(hall, dept, names)
            db.session.flush()
            window = Window(hall=hall, number=number, name=f"{unit}窗口", department=dept, a_post=a, b_post=b)
            db.session.add(window)
            db.session.flush()
            a.window_id = b.window_id = window.id
            number += 1
    for _ in range(2):
        leader = _person(hall, office, names, Role.DUTY_LEADER)
        leaders.append(leader)
    db.session.flush()
    _roster(hall, leaders)
    db.session.add(DisplayScreen(hall_id=hall.id, name="服务站大厅屏", location="服务站入口",
                                 token=f"demo-station-screen-{n + 1}"))
    return hall


def _person(hall, dept, names, role=Role.STAFF) -> User:
    user = User(hall=hall, name=next(names), login=f"zhan{next(_LOGINS):03d}", department=dept,
                must_change_password=True)
    user.set_roles([role])
    db.session.add(user)
    return user


def _roster(hall, leaders) -> None:
    rotation.set_order(hall.id, [u.id for u in leaders])
    today = clock.today()
    rotation.generate(hall.id, today, today + timedelta(days=60), None)
