"""The demo county: two township stations under the demo center, and the county demo accounts."""
import pytest
from sqlalchemy import func, select

from portal.demo import DEMO_PASSWORD
from portal.display.models import DisplayScreen
from portal.duty.models import DutyDay
from portal.extensions import db
from portal.org.models import Hall, Window
from tests.conftest import csrf_from, sign_in


@pytest.mark.demo
def test_the_demo_center_has_two_stations_each_with_windows_staff_roster_and_screen(app):
    with app.app_context():
        center = db.session.execute(select(Hall).where(Hall.parent_id.is_(None))).scalar_one()
        stations = db.session.execute(select(Hall).where(Hall.parent_id == center.id)).scalars().all()
        assert [s.level for s in stations] == ["township", "township"]
        for station in stations:
            windows = db.session.execute(select(func.count(Window.id)).where(
                Window.hall_id == station.id, Window.a_post_id.is_not(None))).scalar_one()
            assert windows >= 3
            assert db.session.execute(select(func.count(DutyDay.id)).where(DutyDay.hall_id == station.id)).scalar()
            assert db.session.execute(select(DisplayScreen).where(DisplayScreen.hall_id == station.id)).scalar()
        ids = {"center": center.id, "stations": [s.id for s in stations], "names": [s.name for s in stations]}
    county = app.test_client()
    assert sign_in(county, "xianguan", DEMO_PASSWORD).status_code == 302
    csrf = csrf_from(county.get("/").get_data(as_text=True))
    assert county.post("/county/hall", data={"csrf_token": csrf, "hall_id": ids["stations"][1]}).status_code == 302
    assert "农业服务窗口" in county.get("/admin/windows").get_data(as_text=True)  # that station's own window
    supervisor = app.test_client()
    assert sign_in(supervisor, "xianducha", DEMO_PASSWORD).status_code == 302
    page = supervisor.get("/county/league").get_data(as_text=True)
    assert all(name in page for name in ids["names"])
    station = app.test_client()
    assert sign_in(station, "zhanzhang", DEMO_PASSWORD).status_code == 302
    assert station.get("/county/league").status_code == 403
    windows = station.get("/admin/windows").get_data(as_text=True)
    assert "民政社保窗口" in windows and "农业服务窗口" not in windows and "税务局" not in windows
