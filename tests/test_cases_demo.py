"""The demo hall's month of cases: some due soon, two overdue, one finished on the spot, one import profile."""
import pytest

from portal.cases import deadlines, service
from portal.extensions import db
from portal.imports import profiles
from portal.org.models import Hall


@pytest.mark.demo
def test_the_demo_hall_has_a_month_of_cases_with_two_overdue_and_one_on_the_spot(app):
    with app.app_context():
        hall = db.session.query(Hall).filter_by(parent_id=None).one()
        found = service.cases(hall.id)
        states = [c.deadline.state for c in found]
        assert len(found) > 40
        assert states.count(deadlines.OVERDUE) == 2
        assert states.count(deadlines.DUE_SOON) + states.count(deadlines.DUE_TODAY) >= 1
        assert sum(c.on_the_spot for c in found) == 1
        assert [p.name for p in profiles.saved(hall.id, "case")] == ["示范县审批系统导出"]
