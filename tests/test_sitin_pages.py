"""Sit-in pages: booking by htmx, record-level refusals, check-in, the note, register, bulletin, .ics."""
import subprocess
from datetime import datetime

import pytest

from portal import clock
from portal.auth.models import User
from portal.extensions import db
from portal.roles import Role
from portal.sitin.models import SitInBooking, SitInVisit
from tests.conftest import sign_in, token
from tests.sitin_fixtures import (  # noqa: F401 - pytest fixtures
    NEXT_MONDAY,
    NEXT_TUESDAY,
    WEDNESDAY,
    book,
    frozen,
    leader,
    on_duty,
    police_leader,
)

HX = {"HX-Request": "true"}


def _post(client, url, **data):
    return client.post(url, data={"csrf_token": token(client, "/sitin/week"), **data}, headers=HX)


def _rows(app):
    with app.app_context():
        return [(b.department_id, b.day, b.half, b.state) for b in db.session.query(SitInBooking).all()]


@pytest.mark.parametrize("url, root, role", [
    ("/sitin/week", "sitin-week", Role.WINDOW_LEADER),
    ("/sitin/department", "sitin-department", Role.WINDOW_LEADER),
    ("/sitin/today", "sitin-today", Role.DUTY_LEADER),
    ("/sitin/register", "sitin-register", Role.SUPERVISOR),
])
def test_sitin_pages_answer_whole_page_or_fragment(client, frozen, login_as, url, root, role):
    login_as(role)
    page = client.get(url).get_data(as_text=True)
    fragment = client.get(url, headers=HX).get_data(as_text=True)
    assert "<html" in page and f'id="{root}"' in page
    assert "<html" not in fragment and f'id="{root}"' in fragment


def test_leader_books_next_tuesday_morning_from_the_week_view(app, client, frozen, leader, hall):
    sign_in(client, "lingdao")
    r = _post(client, "/sitin/book", day=NEXT_TUESDAY.isoformat(), half="am")
    assert r.status_code == 200 and "已预约 12月01日上午坐班" in r.get_data(as_text=True)
    assert _rows(app) == [(hall["tax"], NEXT_TUESDAY, "am", "active")]


def test_double_submission_of_the_booking_form_books_once(app, client, frozen, leader):
    sign_in(client, "lingdao")
    first = _post(client, "/sitin/book", day=NEXT_TUESDAY.isoformat(), half="day")
    second = _post(client, "/sitin/book", day=NEXT_TUESDAY.isoformat(), half="day")
    assert (first.status_code, second.status_code) == (200, 409)
    assert "已经预约过了" in second.get_data(as_text=True)
    assert len(_rows(app)) == 2  # morning and afternoon of one full day


@pytest.mark.parametrize("day, half, message", [
    ("2026-11-28", "am", "不是工作日"), ("2026-11-20", "pm", "已经过去"),
    ("2026-12-01", "evening", "没有这个时段"), ("not-a-date", "am", "日期格式不正确"),
])
def test_bad_booking_input_is_refused_in_chinese_and_nothing_stored(app, client, frozen, leader, day, half, message):
    sign_in(client, "lingdao")
    r = _post(client, "/sitin/book", day=day, half=half)
    assert r.status_code == 422 and message in r.get_data(as_text=True)
    assert _rows(app) == []


def test_leader_posting_another_departments_slot_is_forbidden(app, client, frozen, leader, hall):
    sign_in(client, "lingdao")
    r = _post(client, "/sitin/book", day=NEXT_TUESDAY.isoformat(), half="am", department_id=str(hall["police"]))
    assert r.status_code == 403 and _rows(app) == []


def test_leader_cannot_cancel_another_departments_booking(app, client, frozen, leader, police_leader, book, hall):
    ids = book(police_leader, NEXT_TUESDAY, "am")
    sign_in(client, "lingdao")
    r = _post(client, f"/sitin/bookings/{ids[0]}/cancel", reason="x")
    assert r.status_code == 404
    assert _rows(app) == [(hall["police"], NEXT_TUESDAY, "am", "active")]


def test_leader_cancels_own_booking_before_the_deadline_without_reason(app, client, frozen, leader, book, hall):
    ids = book(leader, NEXT_TUESDAY, "am")
    sign_in(client, "lingdao")
    r = _post(client, f"/sitin/bookings/{ids[0]}/cancel")
    assert r.status_code == 200 and _rows(app) == [(hall["tax"], NEXT_TUESDAY, "am", "cancelled")]


def test_duty_leader_checks_in_once_with_the_time(app, client, frozen, leader, book, make_user, on_duty):
    ids = book(leader, NEXT_TUESDAY, "am")
    zhiban = make_user("zhiban", Role.DUTY_LEADER, department="office")
    on_duty(zhiban, WEDNESDAY.date())
    on_duty(zhiban, NEXT_TUESDAY)
    sign_in(client, "zhiban")
    early = _post(client, f"/sitin/today/{ids[0]}/arrived")
    assert early.status_code == 409 and "只能登记当天" in early.get_data(as_text=True)
    clock.freeze(datetime(2026, 12, 1, 8, 40))
    sign_in(client, "zhiban")  # a week later the old session has timed out
    today = client.get("/sitin/today", headers=HX).get_data(as_text=True)
    assert "税务局" in today and "王局长" in today
    r = _post(client, f"/sitin/today/{ids[0]}/arrived")
    assert r.status_code == 200 and "已到岗 08:40" in r.get_data(as_text=True)
    again = _post(client, f"/sitin/today/{ids[0]}/absent")
    assert again.status_code == 409
    with app.app_context():
        assert db.session.query(SitInVisit).one().attendance == "arrived"


def _arrived_visit(app, hall, dept="tax"):
    with app.app_context():
        checker = db.session.query(User).first()
        v = SitInVisit(hall_id=hall["hall"], department_id=hall[dept], day=clock.today(), attendance="arrived",
                       arrived_at=clock.now(), checked_by_id=checker.id, checked_at=clock.now())
        db.session.add(v)
        db.session.commit()
        return v.id


def test_leader_writes_the_note_of_own_sit_in_only(app, client, frozen, leader, police_leader, hall):
    own, other = _arrived_visit(app, hall, "tax"), _arrived_visit(app, hall, "police")
    sign_in(client, "lingdao")
    assert client.get(f"/sitin/visits/{other}/note").status_code == 404
    empty = _post(client, f"/sitin/visits/{own}/note", looked_at="", solved="")
    assert empty.status_code == 422 and "请填写" in empty.get_data(as_text=True)
    r = _post(client, f"/sitin/visits/{own}/note", looked_at="查看 1-6 号窗口排队", solved="协调加开一个窗口",
              proposed="增设自助终端")
    assert r.status_code == 200 and "坐班记录已保存" in r.get_data(as_text=True)
    assert _post(client, f"/sitin/visits/{other}/note", looked_at="x", solved="y").status_code == 404
    with app.app_context():
        assert db.session.get(SitInVisit, other).noted_at is None
        assert db.session.get(SitInVisit, own).solved == "协调加开一个窗口"


def test_bulletin_pdf_names_the_departments_that_did_not_file(app, client, frozen, leader, book, make_user, tmp_path):
    book(leader, NEXT_TUESDAY, "day")
    make_user("ducha", Role.SUPERVISOR, department="office")
    sign_in(client, "ducha")
    register = client.get(f"/sitin/register?week={NEXT_MONDAY}").get_data(as_text=True)
    assert "未按规定 1 个" in register
    r = client.get(f"/sitin/bulletin.pdf?week={NEXT_MONDAY}")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    pdf = tmp_path / "bulletin.pdf"
    pdf.write_bytes(r.data)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "领导坐班情况通报" in text and "公安局户政" in text and "未报备" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "Noto-Sans-CJK" in fonts.replace(" ", "-")


def test_bulletin_is_posted_to_the_notice_board_with_its_pdf(app, client, frozen, leader, book, make_user):
    from portal.notices.models import Notice
    from portal.uploads.models import StoredFile
    book(leader, NEXT_TUESDAY, "day")
    make_user("ducha", Role.SUPERVISOR, department="office")
    sign_in(client, "ducha")
    here = f"/sitin/register?week={NEXT_MONDAY}"
    assert client.post(f"/sitin/bulletin/post?week={NEXT_MONDAY}").status_code == 400   # no CSRF token
    r = client.post(f"/sitin/bulletin/post?week={NEXT_MONDAY}", data={"csrf_token": token(client, here)})
    assert r.status_code == 303
    with app.app_context():
        (notice,) = db.session.query(Notice).all()
        assert notice.state == "published" and notice.category == "bulletin" and "领导坐班情况通报" in notice.title
        (attached,) = db.session.query(StoredFile).filter_by(owner_type="notice", owner_id=notice.id).all()
        assert r.headers["Location"].endswith(f"/notices/{notice.id}")
    board = client.get("/notices/").get_data(as_text=True)
    assert notice.title in board


def test_monthly_register_sums_the_weeks(client, frozen, leader, book, login_as):
    book(leader, NEXT_TUESDAY, "day")
    login_as(Role.SUPERVISOR)
    html = client.get("/sitin/register?month=2026-11").get_data(as_text=True)
    assert "2026年11月" in html and 'id="register-' in html


def test_private_calendar_feed_lists_the_departments_sit_ins(app, client, frozen, leader, book):
    book(leader, NEXT_TUESDAY, "am")
    sign_in(client, "lingdao")
    page = _post(client, "/sitin/calendar-token").get_data(as_text=True)
    with app.app_context():
        secret = db.session.get(User, leader).calendar_token
    assert len(secret) >= 16 and secret in page
    feed = app.test_client().get(f"/sitin/calendar/{secret}.ics")
    from datetime import UTC, datetime

    from icalendar import Calendar
    assert feed.mimetype == "text/calendar"
    (event,) = Calendar.from_ical(feed.data).walk("VEVENT")
    assert event.decoded("dtstart") == datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
    assert "税务局" in str(event["summary"]) and str(event["summary"]).startswith("领导坐班")
    assert app.test_client().get("/sitin/calendar/wrong-token-0123456789.ics").status_code == 404


def test_a_stations_calendar_feed_gives_the_stations_office_hours(app, client, frozen, leader, book, hall):
    from datetime import UTC, datetime

    from icalendar import Calendar

    from tests.conftest import make_station
    book(leader, NEXT_TUESDAY, "am")
    make_station(app, hall["hall"], hours__morning_start="09:00")
    with app.app_context():
        user = db.session.get(User, leader)
        user.calendar_token = "station-feed-token-0123456789"
        db.session.commit()
    feed = app.test_client().get("/sitin/calendar/station-feed-token-0123456789.ics")
    (event,) = Calendar.from_ical(feed.data).walk("VEVENT")
    assert event.decoded("dtstart") == datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # 09:00 in the hall, not 08:00


def test_leader_home_shows_next_week_unfiled_and_time_left(client, frozen, leader, book):
    sign_in(client, "lingdao")
    html = client.get("/").get_data(as_text=True)
    assert "尚未报备" in html and "还剩 2 个工作日 4 小时" in html
    book(leader, NEXT_TUESDAY, "am")
    assert "已报备：12月01日上午" in client.get("/").get_data(as_text=True)


def test_week_page_countdown_is_working_time_like_the_inbox(client, frozen, leader):
    sign_in(client, "lingdao")
    week = client.get("/sitin/week").get_data(as_text=True)
    inbox = client.get("/inbox/").get_data(as_text=True)
    # Wednesday 10:00 to Friday 17:00 is 2 days 7 hours of clock time but 18.5 office hours.
    assert "本部门尚未报备，还剩 2 个工作日 4 小时" in week and "还剩 2 个工作日 4 小时" in inbox
    assert "2 天 7 小时" not in week


def test_leader_sees_only_own_department_view(client, frozen, leader, hall):
    sign_in(client, "lingdao")
    html = client.get(f"/sitin/department?department_id={hall['police']}").get_data(as_text=True)
    assert "税务局坐班" in html and "公安局户政坐班" not in html


def test_leader_home_asks_for_todays_note_after_check_in(app, client, frozen, leader, hall, book):
    book(leader, WEDNESDAY.date(), "am")
    visit = _arrived_visit(app, hall, "tax")
    sign_in(client, "lingdao")
    html = client.get("/").get_data(as_text=True)
    assert "填写今天的坐班记录" in html and f"/sitin/visits/{visit}/note" in html


def test_note_page_answers_whole_page_or_fragment(app, client, frozen, leader, hall):
    visit = _arrived_visit(app, hall, "tax")
    sign_in(client, "lingdao")
    page = client.get(f"/sitin/visits/{visit}/note").get_data(as_text=True)
    fragment = client.get(f"/sitin/visits/{visit}/note", headers=HX).get_data(as_text=True)
    assert "<html" in page and 'id="sitin-note"' in page
    assert "<html" not in fragment and 'id="sitin-note"' in fragment


def test_admin_books_and_cancels_for_another_department_from_the_week_view(app, client, frozen, hall, make_user):
    make_user("admin", Role.ADMIN, department="office")
    sign_in(client, "admin")
    r = _post(client, "/sitin/book", day=NEXT_TUESDAY.isoformat(), half="pm", department_id=str(hall["police"]))
    assert r.status_code == 200
    with app.app_context():
        booking = db.session.query(SitInBooking).one()
    assert _post(client, f"/sitin/bookings/{booking.id}/cancel").status_code == 200
    assert _rows(app) == [(hall["police"], NEXT_TUESDAY, "pm", "cancelled")]
