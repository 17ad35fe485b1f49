"""Rules of the duty desk, through the service: roster, overrides, checks, log, leave, handover."""
from datetime import date, datetime

import pytest
from icalendar import Calendar

from portal import clock
from portal.auth.models import User
from portal.duty import checks, handover, leave, log, rotation, service
from portal.duty.models import DutyDay, DutyLogItem
from portal.duty.service import DutyError
from portal.extensions import db
from portal.roles import Role
from portal.rulebook import service as rules
from portal.rulebook.models import CalendarDay
from tests.duty_fixtures import TODAY, frozen, leaders, on_duty, staffed  # noqa: F401 - pytest fixtures


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


@pytest.fixture
def three(make_user, leaders):
    c = make_user("zhiban3", Role.DUTY_LEADER, department="office", name="值班长丁")
    return [leaders["zhiban"], leaders["other"], c]


def _u(uid):
    return db.session.get(User, uid)


def _roster(hall_id, first, last):
    return {r.day: r.leader_id for r in db.session.query(DutyDay).filter(
        DutyDay.hall_id == hall_id, DutyDay.day >= first, DutyDay.day <= last)}


def test_roster_skips_a_holiday_and_uses_a_make_up_working_day(ctx, hall, frozen, three, leaders):
    db.session.add_all([CalendarDay(day=date(2026, 12, 2), kind="holiday", name="测试假日"),
                        CalendarDay(day=date(2026, 12, 5), kind="workday", name="调休")])
    rotation.set_order(hall["hall"], three)
    assert rotation.generate(hall["hall"], date(2026, 11, 30), date(2026, 12, 6), leaders["general"]) == 5
    db.session.commit()
    a, b, c = three
    assert _roster(hall["hall"], date(2026, 11, 30), date(2026, 12, 6)) == {
        date(2026, 11, 30): a, date(2026, 12, 1): b, date(2026, 12, 3): c,
        date(2026, 12, 4): a, date(2026, 12, 5): b}
    assert service.holder(hall["hall"], date(2026, 12, 5)).general.id == leaders["general"]


def test_two_week_term_keeps_one_leader_for_the_term(ctx, hall, frozen, three, leaders):
    admin = _u(leaders["general"])
    assert rules.change("duty.term", "two_weeks", admin) is None
    rotation.set_order(hall["hall"], three)
    rotation.generate(hall["hall"], date(2026, 11, 30), date(2026, 12, 25), None)
    db.session.commit()
    got = _roster(hall["hall"], date(2026, 11, 30), date(2026, 12, 25))
    assert {got[d] for d in got if d <= date(2026, 12, 11)} == {three[0]}
    assert {got[d] for d in got if d >= date(2026, 12, 14)} == {three[1]}


def test_regenerating_never_rewrites_past_duty_days(ctx, hall, frozen, three, on_duty, leaders):
    on_duty(leaders["general"], date(2026, 11, 24))
    rotation.set_order(hall["hall"], three)
    rotation.generate(hall["hall"], date(2026, 11, 23), date(2026, 11, 27), None)
    db.session.commit()
    got = _roster(hall["hall"], date(2026, 11, 23), date(2026, 11, 27))
    assert got[date(2026, 11, 24)] == leaders["general"]
    assert date(2026, 11, 23) not in got and got[date(2026, 11, 25)] == three[0]


def test_override_counts_only_once_the_general_duty_leader_approves(ctx, hall, frozen, leaders, on_duty):
    day = date(2026, 11, 26)
    on_duty(leaders["zhiban"], day)
    o = rotation.request_override(_u(leaders["zhiban"]), leaders["other"], day, day, "外出培训")
    db.session.commit()
    assert service.holder(hall["hall"], day).leader.id == leaders["zhiban"]
    rotation.decide(_u(leaders["general"]), o.id, True)
    db.session.commit()
    assert service.holder(hall["hall"], day).leader.id == leaders["other"]
    with pytest.raises(DutyError) as again:
        rotation.decide(_u(leaders["general"]), o.id, False)
    assert again.value.status == 409


def test_refused_override_leaves_the_roster_as_it_was(ctx, hall, frozen, leaders, on_duty):
    day = date(2026, 11, 26)
    on_duty(leaders["zhiban"], day)
    o = rotation.request_override(_u(leaders["zhiban"]), leaders["other"], day, day, "")
    rotation.decide(_u(leaders["general"]), o.id, False)
    db.session.commit()
    assert service.holder(hall["hall"], day).leader.id == leaders["zhiban"]


def test_override_for_a_past_day_is_refused(ctx, hall, frozen, leaders, on_duty):
    on_duty(leaders["zhiban"], date(2026, 11, 24))
    with pytest.raises(DutyError, match="已过去"):
        rotation.request_override(_u(leaders["zhiban"]), leaders["other"], date(2026, 11, 24), date(2026, 11, 24), "")


def test_leaving_the_counter_hands_the_desk_over_for_that_time_only(ctx, hall, frozen, leaders, on_duty):
    on_duty()
    tz = clock.hall_tz()
    o = rotation.request_counter(_u(leaders["zhiban"]), leaders["other"], datetime(2026, 11, 25, 10, 0, tzinfo=tz),
                                 datetime(2026, 11, 25, 11, 0, tzinfo=tz), "参加会议")
    rotation.decide(_u(leaders["general"]), o.id, True)
    db.session.commit()
    assert service.holder_now(hall["hall"]).leader.id == leaders["zhiban"]  # 09:30
    assert _holder_id(hall) == leaders["zhiban"]
    frozen(datetime(2026, 11, 25, 10, 30))
    assert service.holder_now(hall["hall"]).leader.id == leaders["other"] == _holder_id(hall)
    assert service.may_run_desk(_u(leaders["other"])) and not service.may_run_desk(_u(leaders["zhiban"]))
    frozen(datetime(2026, 11, 25, 11, 0))
    assert service.holder_now(hall["hall"]).leader.id == leaders["zhiban"] == _holder_id(hall)


def _holder_id(hall):
    """The inbox's cheaper question: the id of whoever holds the desk at this moment."""
    return service.holder_id(hall["hall"], clock.today(), clock.now())


def test_opening_check_fault_opens_an_equipment_fault_log_item(ctx, hall, frozen, leaders):
    lines = checks.items(hall["hall"], "opening")
    answers = {line.id: (True, "") for line in lines} | {lines[2].id: (False, "3 号评价器黑屏")}
    check = checks.record(_u(leaders["zhiban"]), "opening", answers)
    db.session.commit()
    fault = db.session.get(DutyLogItem, check.results[2].log_item_id)
    assert fault.kind == "fault" and "评价器" in fault.text and fault.state == "registered"
    assert check.late  # 09:30 is after opening time
    assert [s["state"] for s in checks.status(hall["hall"], TODAY)] == ["late", "due"]


def test_fault_without_a_note_is_refused_and_nothing_saved(ctx, hall, frozen, leaders):
    lines = checks.items(hall["hall"], "opening")
    answers = {line.id: (True, "") for line in lines} | {lines[0].id: (False, "")}
    with pytest.raises(DutyError, match="故障情况"):
        checks.record(_u(leaders["zhiban"]), "opening", answers)
    db.session.rollback()
    assert checks.done(hall["hall"], TODAY) == {}


def test_opening_check_not_done_by_opening_time_is_overdue(ctx, hall, frozen):
    frozen(datetime(2026, 11, 25, 8, 0))
    assert checks.status(hall["hall"], TODAY)[0]["state"] == "due"
    frozen(datetime(2026, 11, 25, 9, 1))
    assert checks.status(hall["hall"], TODAY)[0]["state"] == "overdue"


def test_log_steps_cannot_be_skipped_and_close_only_at_feedback(ctx, hall, frozen, leaders):
    me = _u(leaders["zhiban"])
    item = log.create(me, "complaint", "群众投诉等候时间长")
    db.session.commit()
    with pytest.raises(DutyError, match="不能跳过"):
        log.advance(me, item.id, "acted", "已处理", item.version)
    for step in ("reported", "acted"):
        log.advance(me, item.id, step, "说明", item.version)
        assert not item.closed
    log.advance(me, item.id, "fed_back", "已回复群众", item.version)
    db.session.commit()
    assert item.closed and [s.step for s in item.steps] == ["registered", "reported", "acted", "fed_back"]


def test_stale_version_is_refused_with_409(ctx, hall, frozen, leaders):
    me = _u(leaders["zhiban"])
    item = log.create(me, "consultation", "咨询社保转移")
    db.session.commit()
    seen = item.version
    log.advance(me, item.id, "reported", "已报告", seen)
    db.session.commit()
    with pytest.raises(DutyError) as stale:
        log.advance(me, item.id, "acted", "另一人的保存", seen)
    assert stale.value.status == 409 and "他人" in stale.value.message


def test_amendment_keeps_the_original_text(ctx, hall, frozen, leaders):
    me = _u(leaders["zhiban"])
    item = log.create(me, "visit", "张三来访")
    db.session.commit()
    log.amend(me, item.id, "张山来访", "姓名写错", item.version)
    db.session.commit()
    assert item.text == "张山来访" and log.original_text(item) == "张三来访"


def test_short_leave_over_the_limit_is_refused(ctx, hall, frozen, leaders, staffed):
    with pytest.raises(DutyError, match="不能超过 120 分钟"):
        leave.grant(_u(leaders["zhiban"]), staffed["a"], 121, "看病")


def test_short_leave_shows_the_b_post_covering_and_overdue(ctx, hall, frozen, leaders, staffed):
    slip = leave.grant(_u(leaders["zhiban"]), staffed["a"], 30, "取快递")
    db.session.commit()
    assert slip.covered_by_id == staffed["b"]
    assert service.short_leaves_on(TODAY, hall["hall"])[staffed["a"]].id == slip.id
    frozen(datetime(2026, 11, 25, 10, 1))
    assert leave.is_overdue(slip)


def test_return_before_departure_is_refused(ctx, hall, frozen, leaders, staffed):
    slip = leave.grant(_u(leaders["zhiban"]), staffed["a"], 30, "取快递")
    db.session.commit()
    frozen(datetime(2026, 11, 25, 9, 50))
    with pytest.raises(DutyError, match="不能早于外出时间"):
        leave.record_return(_u(leaders["zhiban"]), slip.id, "09:10")
    leave.record_return(_u(leaders["zhiban"]), slip.id, "")
    assert slip.returned_at == clock.now() and not leave.is_overdue(slip)


def test_handover_confirmed_only_by_the_incoming_leader_who_then_owns_open_items(ctx, hall, frozen, leaders):
    me = _u(leaders["zhiban"])
    item = log.create(me, "incident", "空调漏水")
    h = handover.start(me, leaders["other"], "今天平稳")
    db.session.commit()
    assert "空调漏水" in h.open_items
    with pytest.raises(DutyError, match="本人"):
        handover.confirm(_u(leaders["general"]), h.id)
    handover.confirm(_u(leaders["other"]), h.id)
    db.session.commit()
    db.session.refresh(item)
    assert item.owner_id == leaders["other"] and h.confirmed_at is not None


def test_calendar_feed_follows_an_approved_override(ctx, hall, frozen, leaders, on_duty):
    from portal.duty import ics
    day = date(2026, 11, 26)
    on_duty(leaders["zhiban"], day)
    o = rotation.request_override(_u(leaders["zhiban"]), leaders["other"], day, day, "")
    rotation.decide(_u(leaders["general"]), o.id, True)
    db.session.commit()
    assert day not in ics.duty_days(_u(leaders["zhiban"]))
    assert ics.duty_days(_u(leaders["other"])) == [day]
    events = Calendar.from_ical(ics.feed(_u(leaders["other"]))).walk("VEVENT")
    assert [e.decoded("dtstart") for e in events] == [day]
