"""The month's life: review, publish (公示), objections in the period, closing, and corrections after closing."""
from datetime import date, datetime

import pytest

from portal.assessment import months, objections, sheet
from portal.assessment.models import AssessmentLine, AssessmentMonth, AssessmentObjection, AssessmentSheet
from portal.extensions import db
from portal.notices.models import Notice
from portal.org.models import Hall
from portal.scores.models import ScoreEvent
from tests.assessment_fixtures import frozen, ledger, person, staff, void  # noqa: F401
from tests.conftest import frozen_clock  # noqa: F401


def _review_and_publish(app, hall, staff, person):
    with app.app_context():
        months.review(hall["hall"], 2026, 11, person(staff["supervisor"]))
        db.session.commit()
        return months.publish(db.session.get(Hall, hall["hall"]), 2026, 11, person(staff["admin"])).id


def _line(app, rule):
    """Return the id of the published line of this rule (inside the caller's app context)."""
    return db.session.query(AssessmentLine).filter_by(rule=rule).one().id


def test_publishing_before_the_supervisor_reviews_is_refused_and_saves_nothing(app, hall, staff, person, frozen):
    with app.app_context():
        with pytest.raises(months.AssessmentError, match="复核之后才能公示"):
            months.publish(db.session.get(Hall, hall["hall"]), 2026, 11, person(staff["admin"]))
        db.session.rollback()
        assert db.session.query(AssessmentMonth).count() == 0 and db.session.query(Notice).count() == 0


def test_the_current_month_is_reviewed_only_once_it_is_over(app, hall, staff, person, frozen):
    with app.app_context(), pytest.raises(months.AssessmentError, match="本月尚未结束"):
        months.review(hall["hall"], 2026, 12, person(staff["supervisor"]))


def test_publishing_freezes_the_sheets_posts_a_numbered_notice_and_opens_the_objection_period(
        app, hall, staff, person, ledger, frozen):
    ledger(-5, unit="tax", rule="巡查：窗口空岗", source="patrol")
    month_id = _review_and_publish(app, hall, staff, person)
    with app.app_context():
        record = db.session.get(AssessmentMonth, month_id)
        assert record.state == "published" and record.objection_until == date(2026, 12, 9)
        notice = db.session.get(Notice, record.notice_id)
        assert notice.title == "2026年11月窗口单位及工作人员考核结果公示"
        published = sheet.month(hall["hall"], 2026, 11)
        assert published.frozen and published.unit(hall["tax"]).total == 95
        assert db.session.query(AssessmentSheet).filter_by(month_id=month_id).count() == 2 + len(published.people)


def test_an_event_recorded_after_the_review_asks_for_a_new_review(app, hall, staff, person, ledger, frozen):
    with app.app_context():
        months.review(hall["hall"], 2026, 11, person(staff["supervisor"]))
        db.session.commit()
    ledger(-2, unit="tax", rule="台面不规范", source="patrol")
    with app.app_context(), pytest.raises(months.AssessmentError, match="重新复核"):
        months.publish(db.session.get(Hall, hall["hall"]), 2026, 11, person(staff["admin"]))


def test_an_upheld_objection_voids_the_event_and_restates_the_sheet(app, hall, staff, person, ledger, frozen):
    event_id = ledger(-5, unit="tax", rule="巡查：窗口空岗", source="patrol")
    ledger(-1, unit="police", rule="台面不规范", source="patrol")
    month_id = _review_and_publish(app, hall, staff, person)
    with app.app_context():
        record = db.session.get(AssessmentMonth, month_id)
        raised = objections.raise_(record, _line(app, "巡查：窗口空岗"), person(staff["leader"]), "当日窗口有人值守")
        db.session.commit()
        objections.rule(raised, person(staff["supervisor"]), True, "查监控属实")
        db.session.commit()
        result = sheet.month(hall["hall"], 2026, 11)
        assert result.unit(hall["tax"]).total == 100 and result.unit(hall["tax"]).rank == 1
        assert result.unit(hall["police"]).rank == 2
        assert db.session.query(ScoreEvent).filter_by(reverses_id=event_id).count() == 1


def test_a_unit_objects_only_to_its_own_lines(app, hall, staff, person, ledger, frozen):
    ledger(-1, unit="police", rule="台面不规范", source="patrol")
    month_id = _review_and_publish(app, hall, staff, person)
    with app.app_context(), pytest.raises(months.AssessmentError, match="只能对本单位"):
        objections.raise_(db.session.get(AssessmentMonth, month_id), _line(app, "台面不规范"),
                          person(staff["leader"]), "不是我们的")


later = frozen_clock(datetime(2026, 12, 10, 9, 0))  # the day after the objection period


def test_objecting_after_the_period_is_refused_and_saves_nothing(app, hall, staff, person, ledger, frozen):
    ledger(-5, unit="tax", rule="巡查：窗口空岗", source="patrol")
    month_id = _review_and_publish(app, hall, staff, person)
    frozen(datetime(2026, 12, 10, 9, 0))
    with app.app_context():
        with pytest.raises(months.AssessmentError, match="不在异议期内"):
            objections.raise_(db.session.get(AssessmentMonth, month_id), _line(app, "巡查：窗口空岗"),
                              person(staff["leader"]), "迟到的异议")
        db.session.rollback()
        assert db.session.query(AssessmentObjection).count() == 0


def test_closing_waits_for_the_period_and_every_ruling(app, hall, staff, person, ledger, frozen):
    ledger(-5, unit="tax", rule="巡查：窗口空岗", source="patrol")
    _review_and_publish(app, hall, staff, person)
    with app.app_context():
        with pytest.raises(months.AssessmentError, match="期满后才能结束"):
            months.close(hall["hall"], 2026, 11, person(staff["admin"]))
        record = months.record_of(hall["hall"], 2026, 11)
        objections.raise_(record, _line(app, "巡查：窗口空岗"), person(staff["leader"]), "有人值守")
        db.session.commit()
    frozen(datetime(2026, 12, 10, 9, 0))
    with app.app_context():
        with pytest.raises(months.AssessmentError, match="1 条异议未裁定"):
            months.close(hall["hall"], 2026, 11, person(staff["admin"]))
        db.session.rollback()
        objections.rule(db.session.query(AssessmentObjection).one(), person(staff["supervisor"]), False, "维持")
        assert months.close(hall["hall"], 2026, 11, person(staff["admin"])).state == "closed"


def _closed_november(app, hall, staff, person, frozen):
    _review_and_publish(app, hall, staff, person)
    frozen(datetime(2026, 12, 10, 9, 0))
    with app.app_context():
        months.close(hall["hall"], 2026, 11, person(staff["admin"]))
        db.session.commit()


def test_a_correction_after_closing_lands_in_the_next_month_with_a_link_back(
        app, hall, staff, person, ledger, void, frozen):
    event_id = ledger(-5, unit="tax", rule="巡查：窗口空岗", source="patrol")
    _closed_november(app, hall, staff, person, frozen)
    void(event_id, "申诉成立（结束后）")
    ledger(-2, unit="tax", rule="补记：台面不规范", source="patrol", day=date(2026, 11, 20))
    ledger(-1, unit="tax", rule="十二月的扣分", source="patrol", day=date(2026, 12, 3))
    with app.app_context():
        november = sheet.month(hall["hall"], 2026, 11)
        assert november.unit(hall["tax"]).total == 95, "a closed month never changes"
        december = sheet.month(hall["hall"], 2026, 12).unit(hall["tax"])
        adjustments = december.of_kind("adjustment")
        assert sorted(a.centipoints for a in adjustments) == [-200, 500]
        assert {a.origin for a in adjustments} == {"2026-11"}
        assert december.adjustment_centi == 300 and december.total == 102


def test_a_closed_month_refuses_every_change(app, hall, staff, person, ledger, frozen):
    ledger(-5, unit="tax", rule="巡查：窗口空岗", source="patrol")
    _closed_november(app, hall, staff, person, frozen)
    with app.app_context():
        record = months.record_of(hall["hall"], 2026, 11)
        for attempt in (lambda: months.review(hall["hall"], 2026, 11, person(staff["supervisor"])),
                        lambda: months.publish(db.session.get(Hall, hall["hall"]), 2026, 11, person(staff["admin"])),
                        lambda: objections.raise_(record, _line(app, "巡查：窗口空岗"), person(staff["leader"]), "x")):
            with pytest.raises(months.AssessmentError, match="已结束") as refused:
                attempt()
            assert refused.value.status == 409


def test_the_publicity_pdf_carries_its_number_and_the_ranking(app, hall, staff, person, ledger, frozen):
    from tests.pdftools import pdf_text
    ledger(-5, unit="tax", rule="巡查：窗口空岗", source="patrol")
    month_id = _review_and_publish(app, hall, staff, person)
    with app.app_context():
        from portal.documents import service as numbers
        record = db.session.get(AssessmentMonth, month_id)
        text = pdf_text(months.publicity_pdf(db.session.get(Hall, hall["hall"]), record,
                                             numbers.of_notice(record.notice_id)))
    assert "考核结果公示" in text and "〔2026〕" in text
    assert text.index("公安局户政") < text.index("税务局") and "95" in text and "张三" in text


def test_an_upheld_objection_to_a_persons_line_restates_what_their_unit_bears(
        app, hall, staff, person, ledger, frozen):
    event_id = ledger(-5, person=staff["clerk"], rule="巡查：玩游戏、看视频、网购、用聊天软件", source="patrol")
    _review_and_publish(app, hall, staff, person)
    with app.app_context():
        assert sheet.month(hall["hall"], 2026, 11).unit(hall["tax"]).total == 98  # 5 lost: the unit -2
        record = months.record_of(hall["hall"], 2026, 11)
        line_id = db.session.query(AssessmentLine).filter_by(event_id=event_id).one().id
        raised = objections.raise_(record, line_id, person(staff["leader"]), "当时在查询业务系统")
        objections.rule(raised, person(staff["supervisor"]), True, "核实为业务操作")
        db.session.commit()
        result = sheet.month(hall["hall"], 2026, 11)
        assert result.person(staff["clerk"]).total == 100 and result.unit(hall["tax"]).total == 100
        assert not sheet.with_lines(result, result.unit(hall["tax"])).of_kind("linked")
