"""Access to the duty desk pages (值班长)."""
from portal.roles import Role

DESK = {Role.DUTY_LEADER, Role.GENERAL_DUTY, Role.ADMIN}

ROUTES = {
    "duty.desk_page": (DESK, {}),
    "duty.live": (DESK, {}),
    "duty.roster": (DESK, {}),
    "duty.rotation_page": ({Role.ADMIN}, {}),
    "duty.replan_page": ({Role.ADMIN}, {}),
    "duty.replan_post": ({Role.ADMIN}, {}),
    "duty.overrides": (DESK, {}),
    "duty.override_new": ({Role.DUTY_LEADER}, {}),
    "duty.counter_new": ({Role.DUTY_LEADER}, {}),
    "duty.override_decide": ({Role.GENERAL_DUTY}, {"override_id": "duty_override", "decision": "duty_decision"}),
    "duty.calendar_token": ({Role.DUTY_LEADER, Role.GENERAL_DUTY}, {}),
    "duty.ics_feed": ("public", {"token": "duty_token"}),
    "duty.check": (DESK, {"kind": "duty_check_kind"}),
    "duty.check_items": ({Role.ADMIN}, {}),
    "duty.check_item_toggle": ({Role.ADMIN}, {"item_id": "duty_check_item", "action": "duty_toggle"}),
    "duty.log_list": (DESK, {}),
    "duty.log_new": (DESK, {}),
    "duty.log_item": (DESK, {"item_id": "duty_log_item"}),
    "duty.log_step": (DESK, {"item_id": "duty_log_item"}),
    "duty.log_amend": (DESK, {"item_id": "duty_log_item"}),
    "duty.leave_page": (DESK, {}),
    "duty.leave_new": (DESK, {}),
    "duty.leave_return": (DESK, {"slip_id": "duty_slip"}),
    "duty.leave_sheet": (DESK, {}),
    "duty.handover_page": (DESK, {}),
    "duty.handover_new": (DESK, {}),
    "duty.handover_confirm": (DESK, {"handover_id": "duty_handover"}),
    "duty.handover_sheet": (DESK, {"handover_id": "duty_handover"}),
    "duty.weekly_pdf": (DESK, {}),
}


def seed(ids):
    from datetime import timedelta

    from portal import clock
    from portal.auth.models import User
    from portal.duty.models import DutyCheckItem, DutyHandover, DutyLogItem, DutyOverride, ShortLeave
    from portal.extensions import db
    target = db.session.get(User, ids["person"])
    if not target.calendar_token:
        target.calendar_token = "matrix-calendar-token-0123456789"
    today, now = clock.today(), clock.now()
    override = DutyOverride(hall_id=ids["hall"], requested_by_id=target.id, substitute_id=target.id,
                            first_day=today + timedelta(days=1), last_day=today + timedelta(days=1))
    item = DutyLogItem(hall_id=ids["hall"], day=today, kind="other", text="矩阵测试", owner_id=target.id)
    slip = ShortLeave(hall_id=ids["hall"], day=today, user_id=target.id, reason="测试", out_at=now,
                      due_at=now + timedelta(minutes=30), approved_by_id=target.id)
    check_item = DutyCheckItem(hall_id=ids["hall"], kind="opening", label="考勤机")
    handover = DutyHandover(hall_id=ids["hall"], day=today, from_user_id=target.id, to_user_id=target.id)
    db.session.add_all([override, item, slip, check_item, handover])
    db.session.commit()
    ids.update(duty_override=override.id, duty_decision="approve", duty_token=target.calendar_token,
               duty_check_kind="opening", duty_log_item=item.id, duty_slip=slip.id,
               duty_check_item=check_item.id, duty_toggle="retire", duty_handover=handover.id)
