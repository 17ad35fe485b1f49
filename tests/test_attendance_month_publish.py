"""The month's sheet: an .xlsx, a numbered 公示 on the board, and a closed month whose corrections go to the next."""
import io
from datetime import date, datetime, time

import pytest
from openpyxl import load_workbook

from portal.attendance import corrections, monthly, points
from portal.attendance.monthly import MonthError
from portal.extensions import db
from portal.notices.models import Notice
from portal.org.models import Hall
from portal.scores.models import ScoreEvent
from tests.conftest import sign_in
from tests.leave_fixtures import people, person  # noqa: F401
from tests.test_attendance_leave_days import later, mapped  # noqa: F401

NOV26 = date(2026, 11, 26)


def _late_day(mapped):
    for t in (time(8, 45), time(12, 1), time(14, 25), time(17, 31)):
        mapped("1", datetime.combine(NOV26, t))


def test_the_month_sheet_is_exported_as_xlsx_with_late_counts(app, client, later, people, mapped):
    with app.app_context():
        _late_day(mapped)
    sign_in(client, "director")
    answer = client.get("/attendance/month/sheet.xlsx?month=2026-11")
    assert answer.status_code == 200
    ws = load_workbook(io.BytesIO(answer.data)).active
    rows = {r[1]: r for r in ws.iter_rows(min_row=3, values_only=True)}
    assert rows["王五"][3] == 1 and rows["王五"][4] == 45


def test_publishing_the_month_posts_a_numbered_notice_and_closes_the_month(app, later, people, person, mapped):
    with app.app_context():
        _late_day(mapped)
        clerk, general = person(people["clerk"]), person(people["general"])
        points.close_day(clerk.hall_id, NOV26)
        db.session.commit()
        hall = db.session.get(Hall, clerk.hall_id)
        row = monthly.publish(hall, 2026, 11, person(people["admin"]))
        notice = db.session.get(Notice, row.notice_id)
        assert "2026年11月考勤情况公示" in notice.title
        assert monthly.closed(hall.id, NOV26)
        with pytest.raises(MonthError):
            monthly.publish(hall, 2026, 11, person(people["admin"]))
        later(datetime(2026, 12, 1, 10, 0))  # the last day of the 补卡 window, after the month was published
        fix = corrections.ask(clerk, NOV26, time(7, 59), "指纹未识别")
        corrections.decide(general, fix.id, True)
        points.recheck(clerk, NOV26, general)
        db.session.commit()
        events = db.session.query(ScoreEvent).filter_by(subject_user_id=clerk.id).all()
        assert not any(e.reverses_id for e in events), "a published month's event is not voided"
        adjusted = [e for e in events if e.rule.startswith("调整：")]
        assert [(e.day, e.points > 0) for e in adjusted] == [(date(2026, 12, 1), True)]


def test_the_current_month_cannot_be_published_yet(app, later, people, person):
    with app.app_context():
        hall = db.session.get(Hall, person(people["admin"]).hall_id)
        with pytest.raises(MonthError, match="尚未结束"):
            monthly.publish(hall, 2026, 12, person(people["admin"]))


def test_five_days_absent_in_a_year_is_flagged_for_send_back_with_the_days(app, client, later, people, mapped):
    from portal.attendance import sendback
    from portal.rulebook import service as rules
    with app.app_context():
        _late_day(mapped)  # the clerk came; the colleague (mapped, no punches) was absent every working day
        hall_id = db.session.get(Hall, 1).id
        flagged = {f.person.name: f for f in sendback.flags(hall_id, 2026, date(2026, 12, 7))}
        reason = f"旷工达到 {rules.get('assessment.sendback_absent_days')} 天"
        assert reason in flagged["赵六"].reasons and len(flagged["赵六"].evidence[reason]) >= 5
        assert "王五" in flagged  # absent on the other days of the year too
    sign_in(client, "director")
    assert "赵六" in client.get("/attendance/sendback?year=2026").get_data(as_text=True)
