"""The day's case numbers: two complaints registered at the same moment never clash on a number."""
from sqlalchemy import select

from portal import clock
from portal.complaints.models import Complaint
from portal.extensions import db
from portal.once import new_key
from tests.complaints_fixtures import THURSDAY, people  # noqa: F401
from tests.conftest import sign_in, token
from tests.test_sitin_concurrency import _race


def test_two_complaints_registered_at_the_same_moment_get_the_day_s_next_two_numbers(app, client, hall, people):
    clock.freeze(THURSDAY)
    sign_in(client, "zhiban")
    csrf = token(client, "/complaints/new")
    cookie = client.get_cookie("halldesk_session").value
    tablets = [app.test_client() for _ in range(2)]
    for tablet in tablets:
        tablet.set_cookie("halldesk_session", cookie)

    def register(tablet, text):
        return tablet.post("/complaints/new", data={
            "channel": "in_person", "kind": "complaint", "name": "李四", "phone": "13812345678", "window_id": "",
            "department_id": "", "text": text, "csrf_token": csrf, "once": new_key()}).status_code
    answers = _race([lambda t=t, n=n: register(t, f"第{n}位群众反映等候过久") for n, t in enumerate(tablets)])
    assert answers == [200, 200]
    with app.app_context():
        numbers = sorted(db.session.execute(select(Complaint.number)).scalars())
    assert numbers == ["20261203001", "20261203002"]
