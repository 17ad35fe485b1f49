"""The demo hall's complaint cases: one in every state, one from 12345, all pages open."""
import pytest
from sqlalchemy import select

from portal.complaints.models import STATES, Complaint
from portal.demo import DEMO_PASSWORD
from portal.extensions import db
from tests.conftest import sign_in


@pytest.mark.demo
def test_demo_has_a_case_in_every_state_and_one_from_12345(app, client):
    with app.app_context():
        cases = db.session.execute(select(Complaint)).scalars().all()
        assert {c.state for c in cases} == set(STATES) - {"withdrawn"}  # only a reversed 12345 import withdraws
        assert any(c.channel == "hotline" and c.work_order for c in cases)
        ids = [c.id for c in cases]
    sign_in(client, "zhiban", DEMO_PASSWORD)
    assert client.get("/complaints/?all=1").status_code == 200
    for case_id in ids:
        assert client.get(f"/complaints/{case_id}").status_code == 200
