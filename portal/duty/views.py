"""The desk (值班台), the roster (值班表), overrides, leaving the counter and the calendar feed."""
from datetime import date, datetime, time, timedelta

from flask import Response, abort, make_response, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from .. import clock, polls
from ..access import public, roles
from ..auth.models import User
from ..database import commit_write
from ..extensions import db
from ..forms import ConfirmForm
from ..htmx import render, trigger, wants_fragment
from ..notices import service as notices
from ..once import once
from ..refusals import refused
from ..roles import Role
from ..rulebook import calendar
from ..rulebook import service as rules
from . import bp, desk, handover, ics, rotation, service
from .forms import CounterForm, GenerateForm, OverrideForm
from .models import DutyDay, DutyPulse
from .service import DutyError

DESK = (Role.DUTY_LEADER, Role.GENERAL_DUTY, Role.ADMIN)
DECIDERS = (Role.GENERAL_DUTY,)
CHANGED = "duty-changed"  # the htmx event that tells the desk to refresh its counts
# The desk's own panels, opened in place: (endpoint, label, url arguments).
DESK_LINKS = [("duty.check", "开厅检查", {"kind": "opening"}), ("duty.log_list", "值班日志", {}),
              ("duty.leave_page", "临时外出", {}), ("duty.check", "闭厅检查", {"kind": "closing"}),
              ("duty.handover_page", "交接班", {}), ("duty.roster", "值班表", {}),
              ("duty.overrides", "替岗与离岗", {})]
MUST_READ_SHOWN = 99  # the banner counts them; the board lists them


def done(panel, *args, keep=(), **kwargs):
    """Commit a write, then render the answer (outside the write lock) and tell the desk to refresh."""
    commit_write(keep)
    return trigger(panel(*args, **kwargs), CHANGED)


def people_choices(users, blank="请选择"):
    """Return select choices for people, with a blank first option."""
    return [("", blank)] + [(str(u.id), u.name) for u in users]


@bp.route("/")
@roles(*DESK)
def desk_page():
    """Show the desk: windows, open items, checks, leave slips and who is on call."""
    hall_id, today = current_user.hall_id, clock.today()
    now = service.holder_as_columns(hall_id, today, clock.now())
    return render("duty/desk.html", "duty/desk.html", live=desk.live(hall_id), holder=now.leader, why=now.why,
                  general=now.general, day=today, may_act=service.may_run_desk(current_user, now),
                  handovers=handover.pending_from(current_user),
                  pending=rotation.pending_ids(hall_id) if current_user.has_role(*DECIDERS) else [],
                  poll=rules.get("duty.desk_poll_seconds"), desk_links=DESK_LINKS,
                  must_read=notices.unread_must_read_heads(current_user, MUST_READ_SHOWN))


@bp.route("/live")
@roles(*DESK)
def live():
    """Answer the desk's poll: 304 while nothing changed, else the grid and counts fragment."""
    hall_id = current_user.hall_id
    tag = desk.etag(hall_id, service.desk_version(hall_id), wants_fragment())
    if request.if_none_match.contains(tag):
        response = make_response("", 304)
        response.vary.add("HX-Request")
    else:
        response = render("duty/live.html", "duty/_live.html", live=desk.live(hall_id),
                          poll=rules.get("duty.desk_poll_seconds"), etag=tag)
    response.set_etag(tag)
    return response


# The desk's poll when nothing changed is answered by polls.py from one query, with the same tag.
polls.register("duty.live", DESK, etag=desk.etag, version_table="duty_pulse",
               version=lambda hall_id: select(DutyPulse.version).where(DutyPulse.hall_id == hall_id).scalar_subquery())


# --- the roster -------------------------------------------------------------------------------

def _month_arg():
    raw = request.args.get("month", "")
    try:
        y, m = int(raw[:4]), int(raw[5:7])
        return date(y, m, 1)
    except ValueError:
        return clock.today().replace(day=1)


def _weeks(first: date):
    """Return the Monday-to-Sunday weeks that cover a month."""
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    d, end = first - timedelta(days=first.weekday()), last + timedelta(days=6 - last.weekday())
    days = [d + timedelta(days=i) for i in range((end - d).days + 1)]
    return [days[i:i + 7] for i in range(0, len(days), 7)]


@bp.route("/roster")
@roles(*DESK)
def roster():
    """Show a month of the roster: who holds each working day, and why when substituted."""
    first = _month_arg()
    hall_id = current_user.hall_id
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return render("duty/roster.html", "duty/_roster.html", first=first, weeks=_weeks(first),
                  cells=service.holders(hall_id, first, last),
                  special=calendar.describe(first, last), today=clock.today(),
                  prev=(first - timedelta(days=1)).replace(day=1), next=last + timedelta(days=1))


def _rotation_panel(message="", status=200, form=None):
    """Render the rotation order and the roster generator."""
    hall_id = current_user.hall_id
    form = form or GenerateForm(formdata=None)
    form.general_leader_id.choices = people_choices(rotation.general_leaders(hall_id), "（不指定）")
    return render("duty/rotation.html", "duty/_rotation.html", status=status, form=form, message=message,
                  ok=status == 200 and bool(message), order=rotation.order(hall_id),
                  eligible=rotation.eligible(hall_id), term=rules.display("duty.term"))


@bp.route("/rotation", methods=["GET", "POST"])
@roles(Role.ADMIN)
@once
def rotation_page():
    """Set the rotation order and lay it over a date range (admin)."""
    if request.method == "GET":
        return _rotation_panel()
    form = GenerateForm()
    action = _save_order if request.form.get("action") == "order" else _generate
    try:
        message = action(form)
    except DutyError as e:
        return refused(e, _rotation_panel, form=form)
    db.session.commit()
    return _rotation_panel(message, form=form)


def _save_order(_form) -> str:
    """Save the ticked people in the order of their numbers (unnumbered ones last)."""
    if not ConfirmForm().validate_on_submit():
        raise DutyError("页面已过期，请刷新后重试", 400)
    ids = [int(x) for x in request.form.getlist("member") if x.isdigit()]
    position = {uid: request.form.get(f"pos-{uid}", "") for uid in ids}
    ids.sort(key=lambda uid: int(position[uid]) if position[uid].isdigit() else 999)
    rotation.set_order(current_user.hall_id, ids)
    return "轮值顺序已保存"


def _generate(form) -> str:
    """Lay the rotation over the chosen dates."""
    if not form.validate_on_submit():
        raise DutyError("请选择开始和结束日期")
    gid = int(form.general_leader_id.data) if str(form.general_leader_id.data).isdigit() else None
    n = rotation.generate(current_user.hall_id, form.start.data, form.end.data, gid)
    return f"已生成 {n} 个工作日的值班表（已过去的日期不变）"


# --- overrides (替岗) and leaving the counter ------------------------------------------------------

def _overrides_panel(message="", status=200, form=None, counter=None):
    hall_id = current_user.hall_id
    choices = people_choices([u for u in rotation.eligible(hall_id) if u.id != current_user.id])
    form = form or OverrideForm(formdata=None)
    counter = counter or CounterForm(formdata=None)
    form.substitute_id.choices = counter.substitute_id.choices = choices
    mine = db.session.execute(select(DutyDay).where(
        DutyDay.hall_id == hall_id, DutyDay.leader_id == current_user.id,
        DutyDay.day >= clock.today()).order_by(DutyDay.day).limit(20)).scalars().all()
    return render("duty/overrides.html", "duty/_overrides.html", status=status, form=form, counter=counter,
                  message=message, ok=status == 200 and bool(message), requests=rotation.overrides(hall_id),
                  mine=mine, can_decide=current_user.has_role(*DECIDERS), confirm=ConfirmForm())


@bp.route("/overrides")
@roles(*DESK)
def overrides():
    """List override requests; ask for a 替岗 or to leave the counter."""
    return _overrides_panel()


@bp.route("/overrides/new", methods=["POST"])
@roles(Role.DUTY_LEADER)
@once
def override_new():
    """Ask a named colleague to take days of one's duty."""
    form = OverrideForm()
    if not form.validate_on_submit():
        return _overrides_panel("请检查填写的内容", 422, form=form)
    try:
        rotation.request_override(current_user, _int(form.substitute_id.data), form.first_day.data,
                                  form.last_day.data, form.reason.data or "")
    except DutyError as e:
        return refused(e, _overrides_panel, form=form)
    return done(_overrides_panel, "替岗申请已提交，等待总值班长审批")


@bp.route("/counter", methods=["POST"])
@roles(Role.DUTY_LEADER)
@once
def counter_new():
    """Ask to leave the counter for part of today with a named substitute."""
    form = CounterForm()
    if not form.validate_on_submit():
        return _overrides_panel("请检查填写的内容", 422, counter=form)
    try:
        today = clock.today()
        starts = datetime.combine(today, time.fromisoformat(form.starts.data), tzinfo=clock.hall_tz())
        ends = datetime.combine(today, time.fromisoformat(form.ends.data), tzinfo=clock.hall_tz())
    except ValueError:
        return _overrides_panel("请按 时:分 填写时间，例如 14:30", 422, counter=form)
    try:
        if not service.may_run_desk(current_user):
            raise DutyError("只有今天的值班长可以申请离岗")
        rotation.request_counter(current_user, _int(form.substitute_id.data), starts, ends, form.reason.data)
    except DutyError as e:
        return refused(e, _overrides_panel, counter=form)
    return done(_overrides_panel, "离岗申请已提交，等待总值班长审批")


@bp.route("/overrides/<int:override_id>/<decision>", methods=["POST"])
@roles(*DECIDERS)
def override_decide(override_id, decision):
    """Approve or refuse a 替岗 or leaving-the-counter request."""
    if decision not in ("approve", "refuse"):
        abort(404)
    if not ConfirmForm().validate_on_submit():
        return _overrides_panel("请刷新页面后重试", 400)
    try:
        o = rotation.decide(current_user, override_id, decision == "approve")
    except DutyError as e:
        return refused(e, _overrides_panel)
    return done(_overrides_panel, f"已{'批准' if decision == 'approve' else '退回'}{o.requested_by.name}的申请")


def _int(raw):
    return int(raw) if str(raw or "").isdigit() else None


# --- the calendar feed ----------------------------------------------------------------------

@bp.route("/calendar-token", methods=["POST"])
@roles(Role.DUTY_LEADER, Role.GENERAL_DUTY)
def calendar_token():
    """Create the private calendar address of one's duty days (the token is shared with sit-ins)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    ics.ensure_token(current_user)
    db.session.commit()
    return redirect(url_for("duty.overrides"))


@bp.route("/feed/<token>.ics")
@public
def ics_feed(token):
    """Serve one person's duty days as an iCalendar feed (the token is the only key)."""
    user = db.session.execute(select(User).where(User.calendar_token == token)).scalar() if len(token) >= 24 else None
    if user is None or not user.active:
        abort(404)
    return Response(ics.feed(user), mimetype="text/calendar", headers={"Cache-Control": "private, max-age=300"})
