"""The month's 公示 in each unit's inbox, and the year's send-back flags for whoever must decide them."""
from datetime import date, datetime, time

from portal.attendance import monthly, points
from portal.extensions import db
from portal.once import new_key
from portal.org.models import Hall
from portal.roles import Role
from tests.conftest import csrf_from, sign_in
from tests.inbox_fixtures import sources_of, waiting
from tests.leave_fixtures import people, person  # noqa: F401
from tests.test_attendance_leave_days import later, mapped  # noqa: F401

AFTER = datetime(2026, 12, 8, 10, 0)


def _publish(app, people, person):
    with app.app_context():
        hall = db.session.get(Hall, person(people["admin"]).hall_id)
        row = monthly.publish(hall, 2026, 11, person(people["admin"]))
        return row.id, row.notice_id


def test_the_published_month_waits_in_each_unit_leaders_inbox_until_the_notice_is_opened(
        app, client, later, people, person, mapped):
    assert "attendance.publicity" not in sources_of(app, people["unit"], AFTER)
    month_id, notice_id = _publish(app, people, person)
    assert ("attendance.publicity", "考勤公示待查阅", str(month_id)) in waiting(app, people["unit"], AFTER)
    assert "attendance.publicity" not in sources_of(app, people["clerk"], AFTER), "the unit's leader has it"
    sign_in(client, "unitlead")
    assert client.get(f"/notices/{notice_id}").status_code == 200
    assert "attendance.publicity" not in sources_of(app, people["unit"], AFTER)


def _absent_year(app, people, person):
    """Close Dec 7: the clerk and the colleague have been absent most days since punches began."""
    with app.app_context():
        clerk = person(people["clerk"])
        lines = points.close_day(clerk.hall_id, date(2026, 12, 7))
        db.session.commit()
        return lines


def test_a_person_over_a_send_back_threshold_waits_for_the_center_director_until_decided(
        app, client, later, people, person, mapped):
    with app.app_context():
        for t in (time(7, 58), time(12, 1), time(14, 25), time(17, 31)):
            mapped("1", datetime.combine(date(2026, 11, 23), t))  # the hall's first punches: the clerk's only day
    lines = _absent_year(app, people, person)
    assert any("赵六" in line and "退回" in line for line in lines)
    assert not any("退回" in line for line in _absent_year(app, people, person)), "a flag is noted once"
    items = [i for i in waiting(app, people["admin"], AFTER) if i[0] == "attendance.sendback"]
    assert [t for _s, t, _r in items] == ["退回原单位待研究"] * 2  # the clerk and the colleague, one each
    assert "attendance.sendback" not in sources_of(app, people["unit"], AFTER)
    sign_in(client, "director")
    page = client.get("/attendance/sendback?year=2026").get_data(as_text=True)
    assert "记录研究意见" in page
    form = {"csrf_token": csrf_from(page), "once": new_key(), "decision": "kept", "note": ""}
    assert client.post(f"/attendance/sendback/{people['mate']}/decide?year=2026", data=form).status_code == 422
    form.update(note="已约谈，限期改正", once=new_key())
    answer = client.post(f"/attendance/sendback/{people['mate']}/decide?year=2026", data=form)
    assert answer.status_code == 303
    left = [i for i in waiting(app, people["admin"], AFTER) if i[0] == "attendance.sendback"]
    assert len(left) == 1, "the colleague's flags are decided; the clerk's still wait"
    assert "已约谈，限期改正" in client.get("/attendance/sendback?year=2026").get_data(as_text=True)
    form.update(once=new_key())
    assert client.post(f"/attendance/sendback/{people['mate']}/decide?year=2026", data=form).status_code == 409


def test_only_the_center_director_decides_a_send_back(app, client, later, people, make_user, mapped):
    make_user("duchaz", Role.SUPERVISOR, department="office")
    sign_in(client, "duchaz")
    page = client.get("/attendance/sendback?year=2026")
    assert page.status_code == 200 and "记录研究意见" not in page.get_data(as_text=True)
    assert client.post(f"/attendance/sendback/{people['mate']}/decide", data={}).status_code == 403


def test_days_before_the_hall_kept_attendance_are_not_counted_as_absence_for_send_back(
        app, later, people, person, mapped):
    from portal.attendance import sendback
    with app.app_context():
        for t in (time(7, 58), time(12, 1), time(14, 25), time(17, 31)):
            mapped("1", datetime.combine(date(2026, 12, 3), t))  # the hall's first punches
        flagged = sendback.flags(person(people["clerk"]).hall_id, 2026, date(2026, 12, 7))
        assert flagged == [], "three working days without punches are not five days absent"


def test_a_person_sent_back_waits_in_the_unit_leader_s_inbox_until_they_leave_its_staff(
        app, later, people, person, mapped):
    from portal.attendance import sendback
    with app.app_context():
        for t in (time(7, 58), time(12, 1), time(14, 25), time(17, 31)):
            mapped("1", datetime.combine(date(2026, 11, 23), t))
    _absent_year(app, people, person)
    assert "attendance.sentback" not in sources_of(app, people["unit"], AFTER)
    with app.app_context():
        sendback.decide(person(people["admin"]), person(people["mate"]), 2026, "sent_back", "全年旷工超过规定")
        db.session.commit()
    assert [r for s, _t, r in waiting(app, people["unit"], AFTER) if s == "attendance.sentback"] != []
    assert "attendance.sentback" not in sources_of(app, people["admin"], AFTER)
    with app.app_context():
        person(people["mate"]).active = False
        db.session.commit()
    assert "attendance.sentback" not in sources_of(app, people["unit"], AFTER)
