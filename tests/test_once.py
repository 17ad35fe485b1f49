"""One tap, one record: a create form sent twice with its submission key creates its record once."""
import io
import re
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from portal import clock
from portal.attendance import formats
from portal.attendance.models import AttendanceDevice, DeviceUser
from portal.documents.models import DocumentSeries
from portal.duty.models import DutyHandover, DutyLogItem, DutyOverride, ShortLeave
from portal.extensions import db
from portal.imports.models import ImportBatch, ImportProfile
from portal.notices.models import Notice
from portal.once import SubmissionKey, new_key, purge
from portal.org.models import Department, Window
from portal.roles import Role
from portal.rulebook.models import CalendarDay
from portal.scores.models import ScoreEvent
from portal.sitin.models import SitInBooking
from tests.attendance_fixtures import ZKTECO_DAT
from tests.conftest import csrf_from, sign_in, token
from tests.duty_fixtures import frozen, leaders, on_duty, staffed  # noqa: F401 - pytest fixtures
from tests.sitin_fixtures import NEXT_TUESDAY, WEDNESDAY

HX = {"HX-Request": "true"}


def _desk(request):
    request.getfixturevalue("on_duty")()
    client = request.getfixturevalue("client")
    sign_in(client, "zhiban")
    return token(client, "/duty/")


def duty_log(request):
    return "/duty/log", "/duty/log/new", {"csrf_token": _desk(request), "kind": "other", "text": "新事项"}, DutyLogItem


def duty_leave(request):
    csrf, staff = _desk(request), request.getfixturevalue("staffed")
    data = {"csrf_token": csrf, "user_id": staff["a"], "minutes": 30, "reason": "银行办事"}
    return f"/duty/leave?person={staff['a']}", "/duty/leave/new", data, ShortLeave  # the slip form follows the pick


def duty_override(request):
    csrf, people = _desk(request), request.getfixturevalue("leaders")
    request.getfixturevalue("on_duty")(people["zhiban"], date(2026, 11, 27))
    data = {"csrf_token": csrf, "substitute_id": people["other"], "first_day": "2026-11-27",
            "last_day": "2026-11-27", "reason": "培训"}
    return "/duty/overrides", "/duty/overrides/new", data, DutyOverride


def duty_counter(request):
    csrf, people = _desk(request), request.getfixturevalue("leaders")
    data = {"csrf_token": csrf, "substitute_id": people["other"], "starts": "09:35", "ends": "10:30",
            "reason": "到市局开会"}
    return "/duty/overrides", "/duty/counter", data, DutyOverride


def duty_handover(request):
    csrf, people = _desk(request), request.getfixturevalue("leaders")
    data = {"csrf_token": csrf, "to_user_id": people["other"], "summary": "今日平稳"}
    return "/duty/handover", "/duty/handover/new", data, DutyHandover


def _as(request, role, login=None, **fields):
    request.getfixturevalue("login_as")(role, login, **fields)
    return request.getfixturevalue("client")


def scores_manual(request):
    client, hall = _as(request, Role.SUPERVISOR), request.getfixturevalue("hall")
    data = {"csrf_token": token(client, "/scores/manual"), "subject": f"d{hall['tax']}", "points": "-2",
            "rule": "窗口无人", "day": "2026-11-05"}
    return "/scores/manual", "/scores/manual", data, ScoreEvent


def sitin_book(request):
    clock.freeze(WEDNESDAY)
    client = _as(request, Role.WINDOW_LEADER, "lingdao")
    data = {"csrf_token": token(client, "/sitin/week"), "day": NEXT_TUESDAY.isoformat(), "half": "am"}
    return "/sitin/week", "/sitin/book", data, SitInBooking


def notice_new(request):
    client = _as(request, Role.ADMIN, department="office")
    data = {"csrf_token": token(client, "/notices/new"), "title": "关于规范窗口着装的通知", "category": "notice",
            "body": "请统一着装。", "audience": "staff", "action": "publish"}
    return "/notices/new", "/notices/new", data, Notice


def window_new(request):
    client = _as(request, Role.ADMIN)
    data = {"csrf_token": token(client), "number": "9", "name": "新窗口", "department_id": "1"}
    return "/admin/windows/new", "/admin/windows/new", data, Window


def department_new(request):
    client = _as(request, Role.ADMIN)
    data = {"csrf_token": token(client), "name": "民政局", "kind": "window_unit", "sort_order": "0"}
    return "/admin/departments/new", "/admin/departments/new", data, Department


def calendar_day(request):
    client = _as(request, Role.ADMIN)
    data = {"csrf_token": token(client), "day": "2027-02-20", "kind": "workday", "name": "春节调休"}
    return "/admin/calendar?year=2027", "/admin/calendar/days", data, CalendarDay


def _previewed(request, url="/attendance/import", profile=formats.ZKTECO, data=ZKTECO_DAT):
    client = _as(request, Role.ADMIN)
    answer = client.post(url, data={"csrf_token": token(client, url), "profile": profile,
                                    "file": (io.BytesIO(data), "1_attlog.dat")}, content_type="multipart/form-data")
    return client, answer.headers["Location"]


def attendance_import_confirm(request):
    client, preview = _previewed(request)
    return preview, f"{preview}/confirm", {"csrf_token": token(client, preview)}, ImportBatch


def attendance_profile(request):
    client = _as(request, Role.ADMIN)
    data = {"csrf_token": token(client, "/attendance/profiles"), "name": "门禁导出", "source": "generic",
            "encoding": "auto", "delimiter": "auto", "skip_rows": "0", "header": "y", "col_pin": "员工编号",
            "col_datetime": "刷卡时间"}
    return "/attendance/profiles", "/attendance/profiles", data, ImportProfile


def ratings_profile(request):
    client = _as(request, Role.ADMIN)
    data = {"csrf_token": token(client, "/ratings/profiles"), "name": "市平台导出", "encoding": "gbk",
            "delimiter": "auto", "skip_rows": "1", "header": "y", "col_case_number": "业务编号",
            "col_department": "部门", "col_channel": "渠道", "col_level": "等级", "col_rated_at": "时间"}
    return "/ratings/profiles", "/ratings/profiles", data, ImportProfile


def attendance_device_map(request):
    client, preview = _previewed(request)
    client.post(f"{preview}/confirm", data={"csrf_token": token(client, preview)})
    person = request.getfixturevalue("make_user")("clerk9", Role.STAFF, name="王九")
    data = {"csrf_token": token(client, "/attendance/device-users"), "source": "zkteco",
            "device_user_id": "9999", "user_id": str(person)}
    return "/attendance/device-users", "/attendance/device-users/map", data, DeviceUser


def attendance_device(request):
    client = _as(request, Role.ADMIN)
    data = {"csrf_token": token(client, "/attendance/devices"), "serial": "CKUH201960012", "name": "一楼大厅",
            "field_order": "pin,datetime,direction,verify"}
    return "/attendance/devices", "/attendance/devices", data, AttendanceDevice


def documents_save(request):
    client = _as(request, Role.ADMIN)
    data = {"csrf_token": token(client, "/admin/documents"), "code": "示范政服", "issuer": "示范市政务服务中心",
            "next_number": "5"}
    return "/admin/documents", f"/admin/documents?year={clock.today().year}", data, DocumentSeries


CREATE_ROUTES = [duty_log, duty_leave, duty_override, duty_counter, duty_handover, scores_manual, sitin_book,
                 notice_new, window_new, department_new, calendar_day, attendance_import_confirm,
                 attendance_profile, ratings_profile, attendance_device_map, attendance_device, documents_save]


def _count(app, model):
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model)).scalar_one()


@pytest.fixture(autouse=True)
def _wednesday_morning(frozen):
    yield
    clock.freeze(None)


@pytest.mark.parametrize("route", CREATE_ROUTES, ids=lambda r: r.__name__)
@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
def test_a_form_sent_twice_with_one_key_creates_one_record(app, client, request, route, headers):
    _page, url, data, model = route(request)
    before = _count(app, model)
    data["once"] = new_key()
    first = client.post(url, data=data, headers=headers)
    second = client.post(url, data=data, headers=headers)
    assert first.status_code < 400, first.get_data(as_text=True)[:2000]
    assert _count(app, model) == before + 1
    assert second.headers.get("X-HallDesk-Replayed") == "1" and second.status_code == first.status_code
    assert second.headers.get("Location") == first.headers.get("Location")


@pytest.mark.parametrize("route", CREATE_ROUTES, ids=lambda r: r.__name__)
def test_every_create_form_carries_a_fresh_submission_key(app, client, request, route):
    page, url, _data, _model = route(request)
    html = client.get(page).get_data(as_text=True)
    forms = re.findall(r'<form[^>]*action="' + re.escape(url) + r'"[^>]*>.*?</form>', html, re.S)
    assert forms, f"no form posting to {url} on {page}"
    keys = [re.search(r'name="once"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="once"', f) for f in forms]
    assert all(keys), f"a form posting to {url} has no submission key"
    second = client.get(page).get_data(as_text=True)
    assert keys[0].group(0) not in second  # every rendering gets its own key


def test_two_registrations_with_their_own_keys_make_two_items(app, client, request):
    _page, url, data, model = duty_log(request)
    for _ in range(2):
        assert client.post(url, data={**data, "once": new_key()}).status_code < 400
    assert _count(app, model) == 2


def test_a_refused_sending_leaves_the_key_free_for_the_corrected_form(app, client, request):
    _page, url, data, model = duty_log(request)
    key = new_key()
    assert client.post(url, data={**data, "text": "", "once": key}, headers=HX).status_code == 422
    assert client.post(url, data={**data, "once": key}, headers=HX).status_code == 200
    assert _count(app, model) == 1


def test_another_persons_key_replays_nothing(app, client, request, make_user):
    _page, url, data, model = duty_log(request)
    data["once"] = new_key()
    client.post(url, data=data)
    make_user("zhiban3", Role.DUTY_LEADER, department="office")
    other = app.test_client()
    sign_in(other, "zhiban3")
    answer = other.post(url, data={**data, "csrf_token": csrf_from(other.get("/duty/").get_data(as_text=True))})
    assert answer.status_code == 409 and "已经提交过" in answer.get_data(as_text=True)
    assert _count(app, model) == 1


def test_keys_older_than_a_day_are_cleaned_up(app, client, request):
    _page, url, data, _model = duty_log(request)
    client.post(url, data={**data, "once": new_key()})
    with app.app_context():
        assert purge(clock.now()) == 0
        assert purge(datetime(2026, 11, 27, tzinfo=clock.hall_tz())) == 1
        db.session.commit()
    assert _count(app, SubmissionKey) == 0


def test_two_sendings_at_the_same_moment_create_one_item(app, client, request):
    from tests.test_sitin_concurrency import _race
    _page, url, data, model = duty_log(request)
    data["once"] = new_key()
    cookie = client.get_cookie("halldesk_session").value
    tablets = [app.test_client() for _ in range(2)]
    for tablet in tablets:
        tablet.set_cookie("halldesk_session", cookie)
    answers = _race([lambda t=t: t.post(url, data=data, headers=HX).status_code for t in tablets])
    assert answers == [200, 200] and _count(app, model) == 1
