"""Station star ratings (星级评定): the county supervisor's on-site sheet, scored from the rulebook, and its PDF."""
import pytest

from portal.auth import passwords
from portal.auth.models import User
from portal.county.models import StationRating
from portal.extensions import db
from portal.org.models import Hall
from portal.roles import Role
from portal.rulebook import service as rules
from tests.conftest import PASSWORD, csrf_from, sign_in


@pytest.fixture
def county(app, hall):
    with app.app_context():
        east = Hall(name="东街便民服务站", level="township", parent_id=hall["hall"])
        far = Hall(name="邻县便民服务站", level="township")
        db.session.add_all([east, far])
        db.session.flush()
        for login, role, hall_id in (("xianducha-r", Role.COUNTY_SUPERVISOR, hall["hall"]),
                                     ("xianguan-r", Role.COUNTY_ADMIN, hall["hall"])):
            user = User(hall_id=hall_id, name=login, login=login)
            user.set_roles([role])
            passwords.set_password(user, PASSWORD, must_change=False)
            db.session.add(user)
        db.session.commit()
        return {"county": hall["hall"], "east": east.id, "far": far.id}


def _form(client, hall_id):
    page = client.get(f"/county/ratings/new/{hall_id}").get_data(as_text=True)
    return {"csrf_token": csrf_from(page), "once": _once(page)}


def _once(page):
    import re
    m = re.search(r'name="once" type="hidden" value="([^"]*)"', page) or re.search(
        r'type="hidden" name="once" value="([^"]*)"', page)
    return m.group(1) if m else ""


def test_a_stations_score_is_full_marks_less_the_rulebooks_deduction_per_finding(app, county):
    client = app.test_client()
    assert sign_in(client, "xianducha-r").status_code == 302
    data = _form(client, county["east"]) | {"sev-sign": "minor", "sev-board": "minor", "sev-ab_post": "normal",
                                            "sev-dress": "serious", "note-dress": "两人未佩戴工作牌"}
    response = client.post(f"/county/ratings/new/{county['east']}", data=data)
    assert response.status_code == 302
    with app.app_context():
        rating = db.session.query(StationRating).one()
        assert len(rating.findings) == 4
        with app.test_request_context("/"):
            full = rules.get("rating.full_score")
            lost = 2 * rules.get("rating.minor_points") + rules.get("rating.normal_points") + rules.get(
                "rating.serious_points")
        assert full - rating.score == lost == rules.parse(rules.DEFINITIONS["rating.full_score"], "1.9")
        assert rating.stars == int(rating.score * 5 / full)
        assert rating.hall_id == county["east"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "两人未佩戴工作牌" in page and "东街便民服务站" in page
    pdf = client.get(response.headers["Location"] + ".pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_a_resent_rating_sheet_makes_one_rating(app, county):
    client = app.test_client()
    sign_in(client, "xianducha-r")
    data = _form(client, county["east"]) | {"sev-sign": "minor"}
    first = client.post(f"/county/ratings/new/{county['east']}", data=data)
    again = client.post(f"/county/ratings/new/{county['east']}", data=data)
    assert first.status_code == again.status_code == 302
    with app.app_context():
        assert db.session.query(StationRating).count() == 1


def test_a_bad_severity_is_refused_and_nothing_is_saved(app, county):
    client = app.test_client()
    sign_in(client, "xianducha-r")
    data = _form(client, county["east"]) | {"sev-sign": "terrible"}
    response = client.post(f"/county/ratings/new/{county['east']}", data=data, headers={"HX-Request": "true"})
    assert response.status_code == 422 and "问题程度不正确" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(StationRating).count() == 0


def test_only_stations_of_the_supervisors_county_are_rated(app, county):
    client = app.test_client()
    sign_in(client, "xianducha-r")
    assert client.get(f"/county/ratings/new/{county['far']}").status_code == 404
    assert client.get(f"/county/ratings/new/{county['county']}").status_code == 404  # not its own hall
    admin = app.test_client()
    sign_in(admin, "xianguan-r")
    assert admin.get(f"/county/ratings/new/{county['east']}").status_code == 403  # the supervisor rates
    assert admin.get("/county/ratings").status_code == 200


def test_the_rating_sheet_is_a_whole_page_or_the_form_fragment(app, county):
    client = app.test_client()
    sign_in(client, "xianducha-r")
    url = f"/county/ratings/new/{county['east']}"
    assert "<html" in client.get(url).get_data(as_text=True)
    fragment = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and 'id="rating-form"' in fragment


def test_a_supervisor_switched_into_the_station_still_scores_by_the_countys_sheet(app, county):
    from portal import clock
    from portal.rulebook.models import HallRuleSetting, RuleOverridable
    with app.app_context():  # the station has opened and lowered its own deduction: not for its own rating
        db.session.add_all([RuleOverridable(key="rating.minor_points", marked_at=clock.now()),
                            HallRuleSetting(hall_id=county["east"], key="rating.minor_points", value="0.01",
                                            changed_at=clock.now())])
        db.session.commit()
    client = app.test_client()
    assert sign_in(client, "xianducha-r").status_code == 302
    page = client.get(f"/county/ratings/new/{county['east']}").get_data(as_text=True)
    switched = client.post("/county/hall", data={"csrf_token": csrf_from(page), "hall_id": county["east"]})
    assert switched.status_code == 302
    sheet = client.get(f"/county/ratings/new/{county['east']}").get_data(as_text=True)
    assert "（-0.2）" in sheet and "（-0.01）" not in sheet
    data = {"csrf_token": csrf_from(sheet), "once": _once(sheet), "sev-sign": "minor"}
    assert client.post(f"/county/ratings/new/{county['east']}", data=data).status_code == 302
    with app.app_context():
        rating = db.session.query(StationRating).one()
        assert rating.full_centi - rating.score_centi == 20
