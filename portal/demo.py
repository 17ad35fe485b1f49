"""The demo hall: about 20 departments, 55 windows, about 200 staff and one account per role."""
import random

from sqlalchemy import func, select

from .assessment.demo import seed_demo as seed_assessment
from .attendance.demo import seed_demo as seed_attendance
from .auth import passwords
from .auth.models import User
from .cases.demo import seed_demo as seed_cases
from .complaints.demo import seed_demo as seed_complaints
from .county.demo import seed_demo as seed_stations
from .duty.demo import seed_demo as seed_duty
from .extensions import db
from .notices.demo import seed_demo as seed_notices
from .org.models import Department, Hall, Window
from .org.service import add_hall
from .patrol.demo import seed_demo as seed_patrol
from .ratings.demo import seed_demo as seed_ratings
from .roles import Role
from .rulebook import calendar
from .sitin.demo import seed_demo as seed_sitin

DEMO_PASSWORD = "hall-demo-2026"

# (department, windows): 55 windows in all.
WINDOW_UNITS = [
    ("公安局户政", 3), ("公安局出入境", 2), ("公安交警车驾管", 3), ("税务局", 6),
    ("市场监督管理局", 5), ("人力资源和社会保障局", 4), ("医疗保障局", 3), ("不动产登记中心", 5),
    ("住房公积金管理中心", 3), ("民政局", 2), ("卫生健康委员会", 2), ("自然资源局", 2),
    ("住房和城乡建设局", 3), ("交通运输局", 2), ("生态环境局", 1), ("农业农村局", 1),
    ("教育局", 1), ("司法局公证处", 2), ("残疾人联合会", 1), ("退役军人事务局", 1), ("供电公司", 3),
]
# Center offices and the window ranges each is responsible for (DOMAIN.md zones).
OFFICES = [
    ("办公室", "28-40 号窗口", range(28, 41)),
    ("综合科", "1-18 号窗口及休息区", range(1, 19)),
    ("检查科", "19-27 号窗口及卫生间", range(19, 28)),
    ("信息科", "41-55 号窗口、机房、监控室", range(41, 56)),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红玉兰志文斌宇浩凯婷雪琳晨阳欣怡佳梦"

DEMO_ACCOUNTS = [
    ("admin", "中心管理员", [Role.ADMIN], "办公室"),
    ("zhiban", "值班长", [Role.DUTY_LEADER], "综合科"),
    ("zongzhiban", "总值班长", [Role.GENERAL_DUTY, Role.DUTY_LEADER], "办公室"),
    ("ducha", "督查", [Role.SUPERVISOR], "检查科"),
    ("lingdao", "窗口负责人", [Role.WINDOW_LEADER], "税务局"),
    ("chuangkou", "窗口人员", [Role.STAFF], "税务局"),
    ("shenji", "审计管理员", [Role.AUDITOR], "信息科"),
]


def _names(rng: random.Random):
    seen = set()
    while True:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        if name not in seen:
            seen.add(name)
            yield name


def load_demo() -> str:
    """Fill an empty database with the demo hall; refuse if it already holds people."""
    if db.session.execute(select(func.count(User.id))).scalar_one():
        raise RuntimeError("the database already holds people: demo data is only for an empty one")
    rng = random.Random(2026)
    names = _names(rng)
    hall = add_hall(Hall(name="示范县政务服务中心", level="county", address="示范县人民路 88 号", phone="0931-5550000"))
    offices = _add_departments(hall, OFFICES, "center_office")
    units = _add_departments(hall, WINDOW_UNITS, "window_unit")
    people = _add_windows_and_staff(hall, units, offices, names, rng)
    people += _add_office_staff(hall, offices, names)
    _add_demo_accounts(hall, units | offices, people, names)
    db.session.commit()
    for year in calendar.package_years():
        if year >= 2025:
            calendar.import_year(year)
    seed_sitin(hall)
    seed_notices(hall)
    seed_duty(hall)
    seed_patrol(hall)
    seed_attendance(hall)
    seed_cases(hall)
    seed_complaints(hall)
    seed_ratings(hall)
    seed_assessment(hall)
    seed_stations(hall, names, DEMO_PASSWORD)
    total = db.session.execute(select(func.count(User.id))).scalar_one()
    return f"demo hall loaded: {len(units)} window units, 55 windows, {total} people"


def _add_departments(hall, rows, kind) -> dict[str, Department]:
    found = {}
    for order, row in enumerate(rows):
        dept = Department(hall=hall, name=row[0], kind=kind, sort_order=order,
                          zone_note=row[1] if kind == "center_office" else "")
        db.session.add(dept)
        found[row[0]] = dept
    db.session.flush()
    return found


def _zone_for(number: int, offices) -> Department:
    return next(offices[name] for name, _note, numbers in OFFICES if number in numbers)


def _add_windows_and_staff(hall, units, offices, names, rng) -> list[User]:
    people, number = [], 1
    for dept_name, count in WINDOW_UNITS:
        dept = units[dept_name]
        extra = [_person(hall, dept, next(names), rng) for _ in range(rng.choice((2, 3, 4, 5)))]
        people += extra
        for i in range(count):
            a, b = _person(hall, dept, next(names), rng), _person(hall, dept, next(names), rng)
            people += [a, b]
            db.session.flush()
            window = Window(hall=hall, number=number, name=f"{dept_name}{'综合' if count == 1 else i + 1}窗口",
                            department=dept, a_post=a, b_post=b, zone_office=_zone_for(number, offices))
            db.session.add(window)
            db.session.flush()
            a.window_id = b.window_id = window.id
            number += 1
    return people


def _person(hall, dept, name, rng) -> User:
    user = User(hall=hall, name=name, login=f"u{rng.randrange(10**7, 10**8)}", department=dept,
                phone=f"13{rng.randrange(10**8, 10**9)}", must_change_password=True)
    user.set_roles([Role.STAFF])
    db.session.add(user)
    return user


def _add_office_staff(hall, offices, names) -> list[User]:
    staff = []
    for index, dept in enumerate(offices.values()):
        for _ in range(3):
            user = User(hall=hall, name=next(names), login=f"office{len(staff) + 1:02d}", department=dept,
                        must_change_password=True)
            # Center officers take their turn as duty leader (值班长) in the daily rotation.
            user.set_roles([Role.DUTY_LEADER] if index < 3 else [Role.STAFF])
            db.session.add(user)
            staff.append(user)
    return staff


def _add_demo_accounts(hall, departments, people, names) -> None:
    for login, _label, roles, dept_name in DEMO_ACCOUNTS:
        dept = departments[dept_name]
        user = None
        if login == "chuangkou":  # a real A-post clerk of the tax windows
            user = next(p for p in people if p.department is dept and p.window_id)
        if user is None:
            user = User(hall=hall, name=next(names), department=dept)
            db.session.add(user)
        user.login = login
        user.set_roles(roles)
        passwords.set_password(user, DEMO_PASSWORD, must_change=False)
