"""The demo hall's attendance: a registered device, a month imported from its file, late, absent and missed."""
import pytest
from sqlalchemy import func, select

from portal.attendance import demo, devices, sheet
from portal.attendance.models import AttendanceDevice, Punch
from portal.extensions import db
from portal.imports.models import ImportBatch


@pytest.mark.demo
def test_the_demo_hall_has_a_month_of_punches_with_late_an_absence_and_a_missed_punch(app):
    with app.app_context():
        hall_id = db.session.execute(select(AttendanceDevice.hall_id)).scalar_one()
        batch = db.session.execute(select(ImportBatch).where(ImportBatch.kind == "punch")).scalar_one()
        assert batch.saved > 1000 and batch.counts.get("unreadable", 0) == 0
        assert db.session.execute(select(func.count(Punch.id))).scalar_one() >= batch.saved
        assert [row[1] for row in devices.unmapped(hall_id)] == [demo.UNMAPPED_PIN]
        first = batch.rows[0]["record"]["at"][:7]
        year, month = int(first[:4]), int(first[5:7])
        rows = sheet.month_sheet(hall_id, year, month, sheet.hall_people(hall_id))
        totals = [r.totals for r in rows if r.mapped]
        assert sum(t.late for t in totals) > 0
        assert sum(t.absent_halves for t in totals) == 2 and sum(t.missed for t in totals) == 1


@pytest.mark.demo
def test_the_demo_hall_has_leave_requests_in_each_state_and_a_correction(app):
    from portal.attendance.leave import current_step
    from portal.attendance.leave_models import LeaveRequest, PunchCorrection
    with app.app_context():
        rows = db.session.execute(select(LeaveRequest)).scalars().all()
        states = {(r.state, current_step(r), r.emergency) for r in rows}
        assert {("pending", "director", False), ("pending", "center", False), ("approved", None, False),
                ("refused", None, False), ("approved", None, True)} <= states
        assert db.session.execute(select(func.count(PunchCorrection.id))).scalar_one() == 1
