"""The month of results: the admin's grid of the hall, a person's own month, and a flat query count."""
import re
from datetime import datetime

from portal import clock
from portal.attendance.models import DeviceUser, Punch
from portal.extensions import db
from portal.roles import Role
from tests.attendance_fixtures import clerks, frozen  # noqa: F401
from tests.querycount import count_queries


def _punch(hall_id, pin, stamp):
    at = datetime.fromisoformat(stamp)
    return Punch(hall_id=hall_id, key=f"zkteco:{pin}:{stamp}", source="zkteco", device_user_id=pin, day=at.date(),
                 punched_at=at)


def _week(app, hall_id, pin, late_on="2026-11-03"):
    with app.app_context():
        for d in range(2, 7):
            day = f"2026-11-{d:02d}"
            first = "08:41" if day == late_on else "07:58"
            db.session.add_all([_punch(hall_id, pin, f"{day} {t}:00") for t in (first, "12:00", "14:28", "17:31")])
        db.session.commit()


def test_the_month_grid_shows_late_and_absent_half_days_for_each_person(app, client, hall, login_as, clerks, frozen):
    _week(app, hall["hall"], "1001")
    login_as(Role.ADMIN)
    html = client.get("/attendance/month?month=2026-11").get_data(as_text=True)
    assert "2026 年 11 月" in html and "张三" in html and "李四" in html
    assert "迟到 41 分钟" in html and "1（41 分）" in html
    assert "旷" in html, "李四 has no punches: absent"
    # Words only where the mark and the legend do not say it all: the late morning has its minutes, a day
    # present all day and a day off are their marks alone (a month of 200 people is 6,000 cells).
    cells = re.findall(r'<td class="month-cell"([^>]*)>', html)
    assert ' title="上午 迟到 41 分钟；下午 出勤"' in cells
    assert cells.count("") == len(cells) - 1 and len(cells) == 2 * 30


def test_a_clerk_sees_their_own_month_with_the_punches(app, client, hall, login_as, frozen):
    uid = login_as(Role.STAFF, "wang", name="王五")
    with app.app_context():
        db.session.add(DeviceUser(hall_id=hall["hall"], source="zkteco", device_user_id="77", user_id=uid,
                                  mapped_at=clock.now()))
        db.session.commit()
    _week(app, hall["hall"], "77", late_on="2026-11-05")
    html = client.get("/attendance/me?month=2026-11").get_data(as_text=True)
    assert "王五的考勤" in html and "08:41 12:00 14:28 17:31" in html and "迟到 41 分钟" in html
    assert client.get("/attendance/month").status_code == 403


def test_the_month_grid_query_count_does_not_grow_with_the_staff(app, client, hall, login_as, make_user, frozen):
    login_as(Role.ADMIN)
    with count_queries(app) as few:
        assert client.get("/attendance/month?month=2026-11").status_code == 200
    for n in range(15):
        uid = make_user(f"clerk{n}", Role.STAFF)
        with app.app_context():
            db.session.add(DeviceUser(hall_id=hall["hall"], source="zkteco", device_user_id=str(n), user_id=uid,
                                      mapped_at=clock.now()))
            db.session.commit()
        _week(app, hall["hall"], str(n))
    with count_queries(app) as many:
        assert client.get("/attendance/month?month=2026-11").status_code == 200
    assert len(many) == len(few)


def test_a_person_without_a_device_id_is_shown_as_unmapped_not_as_absent(app, client, login_as, frozen):
    login_as(Role.STAFF, "zhao", name="赵六")
    html = client.get("/attendance/me?month=2026-11").get_data(as_text=True)
    assert "尚未对应考勤号" in html and "<td>旷工</td>" not in html


def test_a_window_leader_sees_only_their_departments_people(app, client, hall, login_as, make_user, frozen):
    make_user("tax-clerk", Role.STAFF, name="税务员", department="tax")
    police = make_user("police-clerk", Role.STAFF, name="户政员", department="police")
    login_as(Role.WINDOW_LEADER, "tax-lead", department="tax")
    html = client.get("/attendance/month?month=2026-11").get_data(as_text=True)
    assert "税务员" in html and "户政员" not in html
    assert client.get(f"/attendance/people/{police}").status_code == 404


def test_the_month_grid_query_count_does_not_grow_with_the_departments(app, client, hall, login_as, make_user,
                                                                         frozen):
    from portal.org.models import Department
    login_as(Role.ADMIN)
    make_user("clerk-tax", Role.STAFF)
    with count_queries(app) as few:
        assert client.get("/attendance/month?month=2026-11").status_code == 200
    for n in range(6):
        with app.app_context():
            unit = Department(hall_id=hall["hall"], name=f"窗口单位{n}", kind="window_unit")
            db.session.add(unit)
            db.session.commit()
            hall[f"unit{n}"] = unit.id
        make_user(f"unit-clerk{n}", Role.STAFF, department=f"unit{n}", name=f"窗口人员{n}")
    with count_queries(app) as many:
        html = client.get("/attendance/month?month=2026-11").get_data(as_text=True)
    assert "窗口人员5" in html
    assert len(many) == len(few)
