"""The demo hall's assessment: a closed month, a published month in its objection period, this month's draft."""
import pytest

from portal import clock
from portal.assessment import months, sheet
from portal.extensions import db
from portal.org.models import Hall


@pytest.mark.demo
def test_the_demo_hall_has_a_closed_a_published_and_a_draft_month(app):
    with app.app_context():
        hall = db.session.query(Hall).filter_by(parent_id=None).one()
        today = clock.today()
        last = sheet.previous(today.year, today.month)
        before = sheet.previous(*last)
        assert sheet.month(hall.id, *before).state == "closed"
        published = sheet.month(hall.id, *last)
        assert published.state == "published" and months.in_objection_period(published.record)
        assert len(months.pending(published.record)) == 1
        assert any(s.of_kind("adjustment") for s in (sheet.with_lines(published, u) for u in published.units))
        draft = sheet.month(hall.id, today.year, today.month)
        assert draft.state == "draft" and len(draft.units) == len(published.units) > 10
