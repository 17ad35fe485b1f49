"""What the center approves on a bad-review case: an extension, 综合协调, 无法整改; asked with reasons, audited."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.extensions import db
from portal.ratings import approvals, cases, figures
from portal.ratings.models import RatingCase
from portal.roles import Role
from tests.ratings_fixtures import (  # noqa: F401 - fixtures
    bad_case,
    case_state,
    csrf_of,
    evaluator_device,
    frozen,
    people,
    run_step,
    signed_in,
)


@pytest.fixture
def inspector(make_user):
    """A supervisor of the center (督查科), the second person who may approve."""
    return make_user("inspector", Role.SUPERVISOR, department="office", name="孙督查")


def _rectifying(app, bad_case, kind="deadline", named=True):
    case_id = bad_case(named)
    run_step(app, "leader", case_id, cases.verify, "属实")
    run_step(app, "leader", case_id, cases.classify, kind)
    return case_id


def _items(app, login, source):
    from portal.inbox import registry
    with app.test_request_context():
        person = db.session.execute(select(User).where(User.login == login)).scalar_one()
        return [i for i in registry.collect(person) if i.source == source]


def _case(app, case_id):
    with app.app_context():
        case = db.session.get(RatingCase, case_id)
        db.session.expunge(case)
        return case


def test_an_extension_moves_the_deadline_only_when_the_center_approves(app, bad_case, frozen):
    case_id = _rectifying(app, bad_case)
    before = case_state(app, case_id)[1]
    run_step(app, "leader", case_id, approvals.ask, "extend", "需要协调其他部门")
    assert case_state(app, case_id)[1] == before and _case(app, case_id).pending == "extend"
    items = _items(app, "center", "ratings.request")
    assert [i.title for i in items] == ["延期申请待审批"] and items[0].deadline == before
    assert not _items(app, "leader", "ratings.case")  # the unit waits for the center
    run_step(app, "center", case_id, approvals.review, True, "")
    after = case_state(app, case_id)[1]
    assert after > before + timedelta(days=5)  # 5 more working days
    assert not _items(app, "center", "ratings.request")
    with pytest.raises(cases.CaseError, match="已经申请过一次延期"):
        run_step(app, "leader", case_id, approvals.ask, "extend", "再延")


def test_a_refused_extension_keeps_the_deadline_needs_a_reason_and_is_the_one_allowed(app, bad_case, frozen):
    case_id = _rectifying(app, bad_case)
    before = case_state(app, case_id)[1]
    run_step(app, "leader", case_id, approvals.ask, "extend", "人手不足")
    with pytest.raises(cases.CaseError, match="不批准的理由"):
        run_step(app, "center", case_id, approvals.review, False, " ")
    run_step(app, "center", case_id, approvals.review, False, "理由不充分，按期整改")
    state, due, actions = case_state(app, case_id)
    assert due == before and actions[-2:] == ["request", "deny"] and _case(app, case_id).pending == ""
    with pytest.raises(cases.CaseError, match="已经申请过一次延期"):
        run_step(app, "leader", case_id, approvals.ask, "extend", "再申请")


def test_no_extension_is_asked_once_the_deadline_has_passed(app, bad_case, frozen):
    case_id = _rectifying(app, bad_case)
    frozen(case_state(app, case_id)[1] + timedelta(hours=1))
    with pytest.raises(cases.CaseError, match="期限已过"):
        run_step(app, "leader", case_id, approvals.ask, "extend", "太晚了")


def test_only_the_center_approves_and_never_its_own_request(app, bad_case, frozen, inspector):
    case_id = _rectifying(app, bad_case)
    run_step(app, "center", case_id, approvals.ask, "unable", "涉及系统改造，本单位无权限")
    assert not _items(app, "center", "ratings.request")  # not in the inbox of the one who asked
    assert [i.title for i in _items(app, "inspector", "ratings.request")] == ["无法整改申请待审批"]
    for login in ("leader", "center"):  # the unit's leader; the center person who asked
        with pytest.raises(cases.CaseError) as refused:
            run_step(app, login, case_id, approvals.review, True, "同意")
        assert refused.value.status == 403
    run_step(app, "inspector", case_id, approvals.review, True, "同意")
    assert _case(app, case_id).unable


def test_a_case_waiting_for_approval_takes_no_other_step(app, bad_case, frozen):
    case_id = _rectifying(app, bad_case)
    run_step(app, "leader", case_id, approvals.ask, "unable", "无法整改")
    with pytest.raises(cases.CaseError, match="等待中心审批"):
        run_step(app, "leader", case_id, cases.rectify, "整改了")


def test_coordination_is_asked_at_classification_and_approved_into_a_rectification(app, bad_case, frozen):
    case_id = bad_case()
    run_step(app, "leader", case_id, cases.verify, "属实")
    with pytest.raises(cases.CaseError, match="须报中心批准"):
        run_step(app, "leader", case_id, cases.classify, "coordinate")
    with pytest.raises(cases.CaseError, match="原因"):
        run_step(app, "leader", case_id, approvals.classify, "coordinate", "")
    run_step(app, "leader", case_id, approvals.classify, "coordinate", "涉及税务、社保两个部门")
    assert case_state(app, case_id)[0] == "classify"
    assert [i.title for i in _items(app, "center", "ratings.request")] == ["综合协调申请待审批"]
    assert run_step(app, "center", case_id, approvals.review, True, "由中心牵头协调") == "rectify"
    case = _case(app, case_id)
    assert case.kind == "coordinate" and case.due_at is not None


def test_a_refused_coordination_sends_the_case_back_to_be_classified(app, bad_case, frozen):
    case_id = bad_case()
    run_step(app, "leader", case_id, cases.verify, "属实")
    run_step(app, "leader", case_id, approvals.classify, "coordinate", "想请中心协调")
    assert run_step(app, "center", case_id, approvals.review, False, "本单位可自行整改") == "classify"
    assert run_step(app, "leader", case_id, approvals.classify, "deadline", "") == "rectify"


def test_an_approved_unable_case_is_called_back_and_not_counted_as_rectified(app, bad_case, frozen):
    from portal.scores.service import month_range
    case_id = _rectifying(app, bad_case)
    run_step(app, "leader", case_id, approvals.ask, "unable", "政策规定不允许，无法整改")
    assert run_step(app, "center", case_id, approvals.review, True, "同意，向群众解释") == "callback"
    assert run_step(app, "leader", case_id, cases.callback, "已电话解释政策") == "closed"
    anonymous = _rectifying(app, bad_case, named=False)
    run_step(app, "leader", anonymous, approvals.ask, "unable", "无法整改")
    assert run_step(app, "center", anonymous, approvals.review, True, "同意") == "closed"
    with app.app_context():
        total = figures.month(db.session.get(RatingCase, case_id).hall_id, *month_range(2026, 12)).total
    assert total.bad == 2 and total.rectified == 0 and total.called_back == 1


def test_requests_and_decisions_are_recorded_with_reasons_and_audited(app, bad_case, frozen):
    case_id = _rectifying(app, bad_case)
    run_step(app, "leader", case_id, approvals.ask, "unable", "需要修改省级系统")
    run_step(app, "center", case_id, approvals.review, False, "可先行人工处理")
    with app.app_context():
        steps = db.session.get(RatingCase, case_id).steps[-2:]
        assert [(s.action_label, s.note, s.by.login) for s in steps] == [
            ("申请无法整改", "需要修改省级系统", "leader"), ("不批准无法整改", "可先行人工处理", "center")]
        audited = db.session.execute(select(AuditEvent.object_id).where(
            AuditEvent.object_type == "rating_case_step")).scalars().all()
        assert {s.id for s in steps} <= {int(i) for i in audited}


def test_the_center_approves_through_the_case_page(app, bad_case, frozen):
    case_id = _rectifying(app, bad_case)
    leader = signed_in(app, "leader")
    page = leader.get(f"/ratings/cases/{case_id}").get_data(as_text=True)
    assert "申请延期（报中心批准）" in page and "申请无法整改（报中心批准）" in page
    asked = leader.post(f"/ratings/cases/{case_id}/extend", data={"csrf_token": csrf_of(page), "note": "缺配件"})
    assert asked.status_code == 200 and "等待中心审批" in asked.get_data(as_text=True)
    center = signed_in(app, "center")
    page = center.get(f"/ratings/cases/{case_id}").get_data(as_text=True)
    assert 'id="step-review"' in page
    refused = center.post(f"/ratings/cases/{case_id}/review", data={"csrf_token": csrf_of(page), "approved": "0"})
    assert refused.status_code == 422 and "不批准的理由" in refused.get_data(as_text=True)
    done = center.post(f"/ratings/cases/{case_id}/review", data={"csrf_token": csrf_of(page), "approved": "1"})
    assert done.status_code == 200 and "已记录：批准延期" in done.get_data(as_text=True)
