"""Each inbox source yields its item while the thing is to be done, and drops it once it is done."""
from datetime import date, datetime, timedelta

from portal import clock
from portal.auth.models import User
from portal.duty import handover, leave, rotation
from portal.duty.models import DutyDay
from portal.extensions import db
from portal.inbox import registry
from portal.notices import service as notices
from portal.patrol import service as patrol
from portal.roles import Role
from portal.sitin import booking as sitin
from portal.sitin import checkin
from portal.sitin.models import SitInBooking
from tests.duty_fixtures import TODAY, frozen, leaders, on_duty, staffed  # noqa: F401 - pytest fixtures
from tests.inbox_fixtures import sources_of, waiting
from tests.sitin_fixtures import NEXT_MONDAY, leader  # noqa: F401 - pytest fixtures

TOMORROW = TODAY + timedelta(days=1)


def _user(uid):
    return db.session.get(User, uid)


def test_handover_waits_for_the_incoming_leader_until_confirmed(app, frozen, leaders, on_duty):
    on_duty()
    with app.test_request_context():
        h = handover.start(_user(leaders["zhiban"]), leaders["other"], "本班无异常")
        db.session.commit()
        hid = h.id
    assert ("duty.handover", "交接班待确认", str(hid)) in waiting(app, leaders["other"])
    assert "duty.handover" not in sources_of(app, leaders["zhiban"])
    with app.test_request_context():
        handover.confirm(_user(leaders["other"]), hid)
        db.session.commit()
    assert "duty.handover" not in sources_of(app, leaders["other"])


def test_override_request_waits_for_the_general_duty_leader_until_decided(app, frozen, leaders, on_duty):
    on_duty(day=TOMORROW)
    with app.test_request_context():
        o = rotation.request_override(_user(leaders["zhiban"]), leaders["other"], TOMORROW, TOMORROW, "培训")
        db.session.commit()
        oid = o.id
    assert ("duty.override", "替岗申请待审批", str(oid)) in waiting(app, leaders["general"])
    assert "duty.override" not in sources_of(app, leaders["zhiban"])
    with app.test_request_context():
        rotation.decide(_user(leaders["general"]), oid, True)
        db.session.commit()
    assert "duty.override" not in sources_of(app, leaders["general"])


def test_leaving_the_counter_is_due_before_it_starts(app, frozen, leaders, on_duty):
    on_duty()
    tz = clock.hall_tz()
    starts, ends = datetime(2026, 11, 25, 10, 30, tzinfo=tz), datetime(2026, 11, 25, 11, 0, tzinfo=tz)
    with app.test_request_context():
        rotation.request_counter(_user(leaders["zhiban"]), leaders["other"], starts, ends, "开会")
        db.session.commit()
        item = registry.collect(_user(leaders["general"]))[0]
    assert (item.title, item.deadline, item.severity) == ("离岗申请待审批", starts, "urgent")


def test_overdue_short_leave_shows_at_the_desk_only_once_past_due(app, frozen, leaders, on_duty, staffed):
    on_duty()
    with app.test_request_context():
        slip = leave.grant(_user(leaders["zhiban"]), staffed["a"], 20, "取材料")
        db.session.commit()
        sid = slip.id
    assert "duty.leave" not in sources_of(app, leaders["zhiban"])
    later = datetime(2026, 11, 25, 10, 0)
    assert ("duty.leave", "外出超时未归", str(sid)) in waiting(app, leaders["zhiban"], later)
    assert "duty.leave" not in sources_of(app, leaders["other"]), "only whoever holds the desk"
    with app.test_request_context():
        leave.record_return(_user(leaders["zhiban"]), sid)
        db.session.commit()
    assert "duty.leave" not in sources_of(app, leaders["zhiban"])


def test_window_leader_sees_sitin_unfiled_until_next_week_is_booked(app, frozen, leader):
    assert ("sitin.unfiled", "坐班未报备", NEXT_MONDAY.isoformat()) in waiting(app, leader)
    with app.test_request_context():
        item = registry.collect(_user(leader))[0]
        assert item.deadline == datetime(2026, 11, 27, 17, 0, tzinfo=clock.hall_tz())  # Friday, the rulebook's
        sitin.book(_user(leader), None, NEXT_MONDAY, "am")
    assert "sitin.unfiled" not in sources_of(app, leader)


def test_todays_sitin_waits_at_the_desk_until_checked_in(app, frozen, hall, leaders, on_duty, leader):
    on_duty()
    with app.app_context():
        booking = SitInBooking(hall_id=hall["hall"], department_id=hall["tax"], leader_id=leader,
                               booked_by_id=leader, day=TODAY, half="pm", desk_no=1, filed_at=clock.now())
        db.session.add(booking)
        db.session.commit()
        bid = booking.id
    assert ("sitin.checkin", "坐班待登记", str(bid)) in waiting(app, leaders["zhiban"])
    assert "sitin.checkin" not in sources_of(app, leaders["general"])
    with app.test_request_context():
        checkin.check_in(_user(leaders["zhiban"]), bid, True)
    assert "sitin.checkin" not in sources_of(app, leaders["zhiban"])


def test_must_read_notice_stays_until_acknowledged_not_when_opened(app, frozen, make_user):
    admin = make_user("zhuren", Role.ADMIN, department="office")
    clerk = make_user("clerk", Role.STAFF)
    with app.test_request_context():
        n = notices.create(_user(admin), notices.Draft(title="关于节假日值班的通知", body="正文", must_read=True))
        notices.publish(_user(admin), n)
        db.session.commit()
        nid = n.id
    assert ("notices.must_read", "必读公告待阅知", str(nid)) in waiting(app, clerk)
    with app.test_request_context():
        notices.mark_read(_user(clerk), db.session.get(notices.Notice, nid))
        db.session.commit()
    assert "notices.must_read" in sources_of(app, clerk), "reading is not acknowledging"
    with app.test_request_context():
        notices.acknowledge(_user(clerk), db.session.get(notices.Notice, nid))
        db.session.commit()
    assert "notices.must_read" not in sources_of(app, clerk)


def test_draft_bulletin_waits_for_its_author_until_published(app, frozen, make_user):
    author = make_user("ducha", Role.SUPERVISOR, department="office")
    with app.test_request_context():
        n = notices.create(_user(author), notices.Draft(title="关于窗口脱岗的通报", body="正文", category="bulletin"))
        db.session.commit()
        nid = n.id
    assert ("notices.bulletin", "通报待发布", str(nid)) in waiting(app, author)
    with app.test_request_context():
        notices.publish(_user(author), db.session.get(notices.Notice, nid))
        db.session.commit()
    assert "notices.bulletin" not in sources_of(app, author)


def test_patrols_due_today_leave_as_rounds_are_finished(app, frozen, make_user, leaders, on_duty):
    on_duty()
    supervisor = make_user("ducha", Role.SUPERVISOR, department="office")
    assert sources_of(app, supervisor).count("patrol.due") == 2  # the rulebook's two a day
    assert sources_of(app, leaders["zhiban"]).count("patrol.due") == 2, "today's leader answers for them"
    assert "patrol.due" not in sources_of(app, leaders["other"])
    for _ in range(2):
        with app.test_request_context():
            patrol.finish_round(patrol.start_round(_user(supervisor)))
            db.session.commit()
    assert "patrol.due" not in sources_of(app, supervisor)


def test_quarterly_patrol_bulletin_is_ready_after_the_quarter_until_posted(app, frozen, make_user):
    supervisor = make_user("ducha", Role.SUPERVISOR, department="office")
    clock.freeze(datetime(2026, 9, 10, 10, 0))
    with app.test_request_context():
        patrol.finish_round(patrol.start_round(_user(supervisor)))
        db.session.commit()
    autumn = datetime(2026, 11, 25, 9, 30)
    assert ("patrol.bulletin", "季度巡查通报待发布", "2026-3") in waiting(app, supervisor, autumn)
    with app.test_request_context():
        n = notices.create(_user(supervisor), notices.Draft(title="2026年第3季度巡查通报", body="见附件",
                                                            category="bulletin"))
        notices.publish(_user(supervisor), n)
        db.session.commit()
    assert "patrol.bulletin" not in sources_of(app, supervisor)


def test_an_item_whose_page_the_owner_may_not_open_is_never_shown(app, frozen, make_user):
    clerk = make_user("clerk", Role.STAFF)

    def stray(person, hall_id, now):
        return [registry.Item(source="test.stray", title="人员管理", detail="", link="/admin/people",
                              deadline=now, record_type="user", record_id=1)]
    registry.register("test.stray", stray, label="测试")
    try:
        assert "test.stray" not in sources_of(app, clerk)
    finally:
        registry._SOURCES.pop("test.stray")


def test_roster_row_for_tomorrow_is_not_a_holder_today(app, frozen, hall, leaders):
    with app.app_context():
        db.session.add(DutyDay(hall_id=hall["hall"], day=date(2026, 11, 26), leader_id=leaders["zhiban"]))
        db.session.commit()
        assert registry.desk_holder(hall["hall"], clock.now()) is None


def test_items_are_kept_when_the_portal_is_served_under_a_prefix(app, frozen, leader):
    with app.test_request_context(base_url="http://hall.example/halldesk/"):
        items = registry.collect(_user(leader))
    assert [i.link.split("?")[0] for i in items] == ["/halldesk/sitin/week"]


def test_opening_check_waits_at_the_desk_until_recorded(app, frozen, leaders, on_duty):
    from portal.duty import checks
    on_duty()
    assert ("duty.checks", "开厅检查未完成", f"{TODAY.isoformat()}-opening") in waiting(app, leaders["zhiban"])
    with app.test_request_context():
        checks.record(_user(leaders["zhiban"]), "opening", {}, all_ok=True)
        db.session.commit()
    assert [r for s, _t, r in waiting(app, leaders["zhiban"]) if s == "duty.checks"] == [f"{TODAY}-closing"]


def test_sitin_note_waits_for_the_leader_until_written(app, frozen, hall, leaders, on_duty, leader):
    on_duty()
    with app.app_context():
        booking = SitInBooking(hall_id=hall["hall"], department_id=hall["tax"], leader_id=leader,
                               booked_by_id=leader, day=TODAY, half="am", desk_no=1, filed_at=clock.now())
        db.session.add(booking)
        db.session.commit()
        bid = booking.id
    with app.test_request_context():
        visit = checkin.check_in(_user(leaders["zhiban"]), bid, True)
        vid = visit.id
    assert ("sitin.note", "坐班记录待填写", str(vid)) in waiting(app, leader)
    with app.test_request_context():
        checkin.write_note(_user(leader), checkin.visit_for(_user(leader), vid), "窗口秩序", "协调材料", "")
        db.session.commit()
    assert "sitin.note" not in sources_of(app, leader)
