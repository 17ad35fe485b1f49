"""What the wave-3 QA walk found: each a rule of the hall, failing before its fix."""
from datetime import timedelta

from sqlalchemy import event

from portal.attendance import leave
from portal.auth.models import User
from portal.roles import Role
from tests.conftest import token


def test_finding_who_approves_a_days_leave_reads_only_the_general_duty_leaders(app, hall, make_user):
    """The overdue inbox asks this for every pending leave of every person: it must not load the whole hall."""
    general = make_user("zong", Role.GENERAL_DUTY)
    for n in range(12):
        make_user(f"staff{n}", Role.STAFF)
    loaded = []

    def count(target, _context):
        loaded.append(target.id)

    with app.app_context():
        event.listen(User, "load", count)
        try:
            assert [u.id for u in leave.general_duty_leaders(hall["hall"])] == [general]
        finally:
            event.remove(User, "load", count)
    assert loaded == [general], "only the general duty leaders are read"


def test_a_score_events_evidence_link_is_offered_only_to_roles_that_may_open_it(app):
    """A clerk's own deduction for a bad review linked to the case page, which answers the clerk 403."""
    from portal.access import SIGNED_IN, access_of

    links = app.extensions["score_evidence"]
    assert "rating_case" in links
    for kind, (endpoint, _argument, offered) in links.items():
        allowed = access_of(app.view_functions[endpoint])
        if allowed == SIGNED_IN:
            continue
        assert set(offered) <= set(allowed), f"{kind}: {set(offered) - set(allowed)} get a link that refuses them"


def test_the_attendance_address_opens_the_month_each_person_may_see(client, login_as):
    """/attendance/ was a 404 for everyone: the admin lands on the hall's grid, a clerk on their own month."""
    login_as(Role.ADMIN)
    assert client.get("/attendance/").headers["Location"].endswith("/attendance/month")
    client.post("/logout", data={"csrf_token": token(client)})
    login_as(Role.STAFF, "clerk1")
    assert client.get("/attendance/").headers["Location"].endswith("/attendance/me")


def test_the_county_address_opens_the_league_table(client, login_as):
    login_as(Role.COUNTY_ADMIN)
    assert client.get("/county/").headers["Location"].endswith("/county/league")


def test_a_month_still_running_offers_no_publishing(client, login_as):
    """The rule is to publish early the next month: the running month says so instead of offering the button."""
    from portal import clock
    login_as(Role.ADMIN)
    today = clock.today()
    running = client.get(f"/attendance/month?month={today:%Y-%m}").get_data(as_text=True)
    assert "公示本月考勤" not in running and "本月尚未结束" in running
    last = (today.replace(day=1) - timedelta(days=1))
    assert "公示本月考勤" in client.get(f"/attendance/month?month={last:%Y-%m}").get_data(as_text=True)
