"""Praise (表扬信、锦旗、媒体表扬): recorded by the supervisor with evidence, the rulebook's bonus given once."""
import io
import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.ratings.models import Praise
from portal.roles import Role
from portal.rulebook import service as rules
from portal.scores.models import ScoreEvent
from tests.ratings_fixtures import csrf_of, frozen, people, signed_in  # noqa: F401 - fixtures

PNG = b"\x89PNG\r\n\x1a\n" + b"thanks letter photo " * 10


@pytest.fixture
def inspector(make_user):
    return make_user("inspector", Role.SUPERVISOR, department="office", name="孙督查")


def _form(page: str, **fields):
    once = re.search(r'name="once" type="hidden" value="([^"]+)"', page) or \
        re.search(r'name="once" value="([^"]+)"', page)
    return {"csrf_token": csrf_of(page), "once": once.group(1) if once else "", "kind": "thanks_letter",
            "received_on": "2026-11-30", "source": "群众来信", "summary": "感谢耐心指导", **fields}


def _post(client, data, evidence=PNG, name="锦旗.png"):
    files = {"evidence": (io.BytesIO(evidence), name)} if evidence is not None else {}
    return client.post("/ratings/praise", data={**data, **files}, content_type="multipart/form-data")


def _events(app):
    with app.app_context():
        return [(e.subject_user_id, e.centipoints, e.evidence, e.dedupe_key)
                for e in db.session.execute(select(ScoreEvent).order_by(ScoreEvent.id)).scalars()]


def _bonus(app, key):
    with app.app_context():
        return int(rules.get(key)) * 100


def test_a_thanks_letter_gives_the_unit_and_the_staff_member_their_bonus_once(app, hall, frozen, people,
                                                                              inspector):
    client = signed_in(app, "inspector")
    data = _form(client.get("/ratings/praise").get_data(as_text=True), department_id=hall["tax"],
                 staff_id=people["clerk"])
    first = _post(client, data)
    assert first.status_code == 200 and "已登记第" in first.get_data(as_text=True)
    assert 'value="感谢耐心指导"' not in first.get_data(as_text=True) and "感谢耐心指导</textarea>" not in \
        first.get_data(as_text=True)  # the form is fresh for the next praise
    assert _post(client, data).status_code == 200  # the same form sent again: the first answer, nothing new
    with app.app_context():
        praise = db.session.execute(select(Praise)).scalar_one()
    evidence = f"rating_praise:{praise.id}"
    assert _events(app) == [
        (None, _bonus(app, "unit_points.bonus_thanks_letter"), evidence, f"praise:{praise.id}:unit"),
        (people["clerk"], _bonus(app, "staff_points.bonus_thanks_letter"), evidence, f"praise:{praise.id}:staff")]
    again = _post(client, _form(client.get("/ratings/praise").get_data(as_text=True), department_id=hall["tax"]))
    assert again.status_code == 409 and "已经登记过了" in again.get_data(as_text=True)
    assert len(_events(app)) == 2


def test_a_media_praise_of_a_unit_gives_the_units_media_bonus_only(app, hall, frozen, people, inspector):
    client = signed_in(app, "inspector")
    data = _form(client.get("/ratings/praise").get_data(as_text=True), kind="media_praise",
                 department_id=hall["tax"], staff_id="0", source="示范日报")
    assert _post(client, data).status_code == 200
    assert [(u, c) for u, c, _e, _k in _events(app)] == [(None, _bonus(app, "unit_points.bonus_media_praise"))]


def test_praise_needs_its_evidence_and_a_staff_member_of_that_unit(app, hall, frozen, people, inspector):
    client = signed_in(app, "inspector")
    page = client.get("/ratings/praise").get_data(as_text=True)
    missing = _post(client, _form(page, department_id=hall["tax"]), evidence=None)
    assert missing.status_code == 422 and "请上传表扬信" in missing.get_data(as_text=True)
    page = client.get("/ratings/praise").get_data(as_text=True)
    wrong = _post(client, _form(page, department_id=hall["police"], staff_id=people["clerk"]))
    assert wrong.status_code == 422 and "不是" in wrong.get_data(as_text=True)
    page = client.get("/ratings/praise").get_data(as_text=True)
    fake = _post(client, _form(page, department_id=hall["tax"]), evidence=b"not a picture", name="x.png")
    assert fake.status_code == 422
    assert _events(app) == []


def test_only_the_supervisor_records_praise_and_the_leader_reads_their_units(app, hall, frozen, people, inspector):
    admin = signed_in(app, "center")
    page = admin.get("/ratings/praise").get_data(as_text=True)
    assert "登记并加分" not in page
    assert _post(admin, _form(page, department_id=hall["tax"])).status_code == 403
    client = signed_in(app, "inspector")
    assert _post(client, _form(client.get("/ratings/praise").get_data(as_text=True),
                               department_id=hall["tax"])).status_code == 200
    assert "群众来信" in signed_in(app, "leader").get("/ratings/praise").get_data(as_text=True)
    assert "群众来信" not in signed_in(app, "other").get("/ratings/praise").get_data(as_text=True)


def test_the_ledger_event_opens_the_praise_and_its_evidence(app, hall, frozen, people, inspector):
    client = signed_in(app, "inspector")
    _post(client, _form(client.get("/ratings/praise").get_data(as_text=True), department_id=hall["tax"]))
    with app.app_context():
        praise = db.session.execute(select(Praise)).scalar_one()
        event_id = praise.unit_event_id
    page = client.get(f"/scores/events/{event_id}").get_data(as_text=True)
    assert f'href="/ratings/praise/{praise.id}"' in page  # the ledger's evidence link
    assert "查看表扬登记" in page and "查看巡查记录" not in page  # named for what it opens
    photo = re.search(r'href="(/scores/events/\d+/files/[^"]+)"', page).group(1)
    assert client.get(photo).data == PNG
    shown = client.get(f"/ratings/praise/{praise.id}")
    link = re.search(r'href="(/ratings/praise/\d+/files/[^"]+)"', shown.get_data(as_text=True)).group(1)
    assert client.get(link).data == PNG
