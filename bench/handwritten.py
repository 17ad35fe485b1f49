"""Hand-written comparison pages: plain Flask + Flask-SQLAlchemy, a few column queries and one template each.

Each page reads what the portal's page shows, from the same database (DATABASE_URL, or the SQLite file
under HALLDESK_INSTANCE), for the demo hall, in a few batched column queries, and renders it with one
template of about the same markup. No sessions, no access guard, no CSRF, no audit, no ORM objects: the
cost of the data and the HTML alone, which the portal's page is compared with (`make bench`).
A page that belongs to a person reads that person first, as the portal's session check does.
"""
import json
import os
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Flask, make_response, render_template, request
from flask_sqlalchemy import SQLAlchemy
from jinja2 import DictLoader
from sqlalchemy import text

from bench import handwritten_templates as templates

TZ = ZoneInfo(os.environ.get("HALL_TIMEZONE", "Asia/Shanghai"))
OPEN_STATES = ("registered", "reported", "acted")

db = SQLAlchemy()


def create_app() -> Flask:
    """Build the comparison app on the portal's database."""
    app = Flask(__name__)
    instance = Path(os.environ.get("HALLDESK_INSTANCE", "instance"))
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL",
                                                           f"sqlite:///{instance / 'halldesk.sqlite3'}")
    app.jinja_loader = DictLoader(templates.PAGES)
    db.init_app(app)
    app.add_url_rule("/healthz", view_func=lambda: "ok")
    for rule, view in ROUTES:
        app.add_url_rule(rule, view_func=view)
    return app


def rows(sql: str, **params) -> list:
    """Run one column query; return its rows."""
    return db.session.execute(text(sql), params).all()


def _today() -> date:
    return datetime.now(TZ).date()


def _day_bounds(first: date, last: date):
    """UTC moments of a local day range, as the portal stores them."""
    start = datetime.combine(first, time(0), tzinfo=TZ).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=TZ).astimezone(ZoneInfo("UTC"))
    return start, end.replace(tzinfo=None)


def _person(login: str):
    return rows('SELECT id, name, hall_id, department_id FROM "user" WHERE login = :login', login=login)[0]


def desk():
    """The duty desk: counts, the 55-window grid with who is out, the open log items, checks, notices."""
    me, today = _person("zhiban"), _today()
    windows = rows('SELECT id, number, name, a_post_id, b_post_id FROM "window" '
                   "WHERE hall_id = :h AND active = :t ORDER BY number", h=me.hall_id, t=True)
    items = rows("SELECT id, kind, window_id, text, state, created_at FROM duty_log_item "
                 "WHERE hall_id = :h AND state IN ('registered', 'reported', 'acted') ORDER BY id DESC",
                 h=me.hall_id)
    out = rows("SELECT user_id, window_id, covered_by_id, due_at FROM duty_short_leave "
               "WHERE hall_id = :h AND day = :d AND returned_at IS NULL AND closed_at IS NULL "
               "UNION ALL SELECT user_id, NULL, substitute_id, NULL FROM attendance_leave "
               "WHERE hall_id = :h AND state = 'approved' AND first_day <= :d AND last_day >= :d",
               h=me.hall_id, d=today)
    checks = rows("SELECT kind, done_at, late FROM duty_check WHERE hall_id = :h AND day = :d "
                  "UNION ALL SELECT title, publish_at, must_read FROM notice WHERE hall_id = :h "
                  "AND state = 'published' AND pinned = :t AND archived_at IS NULL", h=me.hall_id, d=today, t=True)
    away = {r.user_id: r for r in out}
    counts = {s: sum(1 for i in items if i.state == s) for s in OPEN_STATES}
    return render_template("desk.html", me=me, windows=windows, items=items, away=away, counts=counts,
                           checks=checks, today=today)


def _cards(hall_id: int, round_id: int, window_id: int | None = None):
    """Windows with their unit and posts, this round's visits and findings, and who is out today."""
    only = "AND w.id = :w" if window_id else ""
    windows = rows('SELECT w.id, w.number, w.name, d.name AS unit, a.name AS a_name, b.name AS b_name, '
                   "w.a_post_id, w.b_post_id FROM \"window\" w JOIN department d ON d.id = w.department_id "
                   'LEFT JOIN "user" a ON a.id = w.a_post_id LEFT JOIN "user" b ON b.id = w.b_post_id '
                   f"WHERE w.hall_id = :h AND w.active = :t {only} ORDER BY w.number",
                   h=hall_id, t=True, w=window_id)
    visits = rows("SELECT v.window_id, v.outcome, v.at, f.label, f.person_centi FROM patrol_visit v "
                  "LEFT JOIN patrol_finding f ON f.visit_id = v.id WHERE v.round_id = :r "
                  + ("AND v.window_id = :w " if window_id else "") + "ORDER BY v.id",
                  r=round_id, w=window_id)
    out = {r.user_id for r in rows("SELECT user_id FROM duty_short_leave WHERE hall_id = :h AND day = :d "
                                   "AND returned_at IS NULL", h=hall_id, d=_today())}
    seen = {}
    for v in visits:
        seen.setdefault(v.window_id, []).append(v)
    return windows, seen, out


def card(round_id: int, window_id: int):
    """One window's patrol card (the fragment a tap swaps in)."""
    me = _person("ducha")
    windows, seen, out = _cards(me.hall_id, round_id, window_id)
    return render_template("card.html", w=windows[0], visits=seen.get(window_id, []), out=out, round_id=round_id)


def grid(round_id: int):
    """The patrol round: every window's card."""
    me = _person("ducha")
    windows, seen, out = _cards(me.hall_id, round_id)
    return render_template("grid.html", windows=windows, seen=seen, out=out, round_id=round_id)


def sitin_week():
    """The sit-in week: each unit's bookings and register, day by day."""
    me, today = _person("lingdao"), _today()
    monday = today - timedelta(days=today.weekday())
    days = [monday + timedelta(days=i) for i in range(5)]
    units = rows("SELECT id, name FROM department WHERE hall_id = :h AND kind = 'window_unit' AND active = :t "
                 "ORDER BY sort_order, id", h=me.hall_id, t=True)
    booked = rows('SELECT b.department_id, b.day, b.half, b.desk_no, b.state, u.name AS leader FROM sitin_booking b '
                  'LEFT JOIN "user" u ON u.id = b.leader_id WHERE b.hall_id = :h AND b.day >= :a AND b.day <= :z '
                  "AND b.state = 'active'", h=me.hall_id, a=days[0], z=days[-1])
    register = rows("SELECT department_id, day, attendance, arrived_at FROM sitin_visit "
                    "WHERE hall_id = :h AND day >= :a AND day <= :z", h=me.hall_id, a=days[0], z=days[-1])
    named = {r.day: r.name for r in rows("SELECT day, name FROM calendar_day WHERE day >= :a AND day <= :z",
                                         a=days[0], z=days[-1])}
    cell = {(b.department_id, str(b.day)[:10], b.half): b for b in booked}
    came = {(v.department_id, str(v.day)[:10]): v for v in register}
    return render_template("sitin.html", units=units, days=days, cell=cell, came=came, named=named)


def notices():
    """The notice board: what is published for the person's hall, pinned first, with their read marks."""
    me = _person("chuangkou")
    now = datetime.utcnow()
    listed = rows("SELECT n.id, n.title, n.category, n.pinned, n.must_read, n.publish_at, n.expires_at, "
                  "r.read_at, r.acknowledged_at FROM notice n LEFT JOIN notice_read r ON r.notice_id = n.id "
                  "AND r.user_id = :u AND r.ack_round = n.ack_round WHERE n.hall_id = :h AND n.state = 'published' "
                  "AND n.publish_at <= :now AND (n.expires_at IS NULL OR n.expires_at > :now) "
                  "AND n.archived_at IS NULL ORDER BY n.pinned DESC, n.publish_at DESC LIMIT 20",
                  u=me.id, h=me.hall_id, now=now)
    return render_template("notices.html", me=me, notices=listed)


def inbox():
    """The leader's to-do inbox: bookings to keep, notices to read, leave to decide, open cases."""
    me, today = _person("lingdao"), _today()
    items = rows(
        "SELECT 'sitin' AS kind, b.id, d.name AS title, b.day AS due FROM sitin_booking b "
        "JOIN department d ON d.id = b.department_id WHERE b.hall_id = :h AND b.leader_id = :u "
        "AND b.state = 'active' AND b.day >= :d "
        "UNION ALL SELECT 'notice', n.id, n.title, n.publish_at FROM notice n WHERE n.hall_id = :h "
        "AND n.state = 'published' AND n.must_read = :t AND n.archived_at IS NULL AND NOT EXISTS "
        "(SELECT 1 FROM notice_read r WHERE r.notice_id = n.id AND r.user_id = :u AND r.acknowledged_at IS NOT NULL) "
        "UNION ALL SELECT 'leave', l.id, l.reason, l.first_day FROM attendance_leave l WHERE l.hall_id = :h "
        "AND l.state = 'pending' "
        "UNION ALL SELECT 'complaint', c.id, c.text, c.received_at FROM complaint c WHERE c.hall_id = :h "
        "AND c.state NOT IN ('closed', 'done') "
        "UNION ALL SELECT 'rating', k.id, k.kind, k.due_at FROM rating_case k WHERE k.hall_id = :h "
        "AND k.state != 'closed'", h=me.hall_id, u=me.id, d=today, t=True)
    return render_template("inbox.html", me=me, items=items)


def evaluator_state(token: str):
    """The evaluator's poll: its window's latest invitation and whether it was rated; 304 when unchanged."""
    found = rows("SELECT e.id, e.window_id, i.id AS inv, i.expires_at, r.id AS rated FROM rating_evaluator e "
                 "LEFT JOIN rating_invitation i ON i.id = (SELECT max(id) FROM rating_invitation "
                 "WHERE window_id = e.window_id) LEFT JOIN rating r ON r.invitation_id = i.id "
                 "WHERE e.token = :t AND e.revoked_at IS NULL", t=token)
    if not found:
        return make_response("stopped", 404)
    e = found[0]
    tag = f'"ev-{e.id}-{e.inv or 0}-{1 if e.rated else 0}"'
    if tag in request.headers.get("If-None-Match", ""):
        response = make_response("", 304)
    else:
        response = make_response(render_template("evaluator.html", e=e))
    response.headers["ETag"] = tag
    return response


def attendance_month():
    """The hall's attendance month: each person's days from their punches, leave and the calendar."""
    me, today = _person("admin"), _today()
    first = today.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    people = rows('SELECT u.id, u.name, d.name AS unit FROM "user" u LEFT JOIN department d ON d.id = u.department_id '
                  "WHERE u.hall_id = :h AND u.active = :t ORDER BY d.sort_order, u.id", h=me.hall_id, t=True)
    punches = rows("SELECT m.user_id, p.day, min(p.punched_at) AS first, max(p.punched_at) AS last "
                   "FROM attendance_punch p JOIN attendance_device_user m ON m.hall_id = p.hall_id "
                   "AND m.source = p.source AND m.device_user_id = p.device_user_id "
                   "WHERE p.hall_id = :h AND p.day >= :a AND p.day <= :z GROUP BY m.user_id, p.day",
                   h=me.hall_id, a=first, z=last)
    leave = rows("SELECT user_id, first_day, last_day, kind FROM attendance_leave WHERE hall_id = :h "
                 "AND state = 'approved' AND first_day <= :z AND last_day >= :a", h=me.hall_id, a=first, z=last)
    off = {str(r.day)[:10]: r.kind for r in rows("SELECT day, kind FROM calendar_day WHERE day >= :a AND day <= :z",
                                                  a=first, z=last)}
    seen = {(p.user_id, str(p.day)[:10]): p for p in punches}
    away = {}
    for lv in leave:
        for d in days:
            if str(lv.first_day)[:10] <= str(d) <= str(lv.last_day)[:10]:
                away[(lv.user_id, str(d))] = lv.kind
    return render_template("month.html", people=people, days=[str(d) for d in days], seen=seen, away=away, off=off)


def assessment_sheet(unit_id: int):
    """A unit's assessment sheet of last month as published: its categories, lines and objections."""
    me, today = _person("admin"), _today()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    unit = rows("SELECT id, name FROM department WHERE id = :d AND hall_id = :h", d=unit_id, h=me.hall_id)[0]
    sheet = rows("SELECT s.id, s.categories, s.base_centi, s.cap_centi, s.bonus_centi, s.adjustment_centi, "
                 "s.total_centi, s.rank, m.state FROM assessment_sheet s JOIN assessment_month m ON m.id = s.month_id "
                 "WHERE m.hall_id = :h AND m.year = :y AND m.month = :m AND s.department_id = :d "
                 "AND s.user_id IS NULL", h=me.hall_id, y=year, m=month, d=unit_id)[0]
    lines = rows("SELECT id, kind, category, centipoints, day, rule, event_id FROM assessment_line "
                 "WHERE sheet_id = :s ORDER BY day, id", s=sheet.id)
    raised = {o.line_id: o for o in rows("SELECT line_id, state, reason FROM assessment_objection o JOIN "
                                         "assessment_line l ON l.id = o.line_id WHERE l.sheet_id = :s", s=sheet.id)}
    categories = sheet.categories if isinstance(sheet.categories, list) else json.loads(sheet.categories)
    return render_template("assessment.html", unit=unit, sheet=sheet, categories=categories, lines=lines,
                           raised=raised, label=f"{year}年{month}月")


ROUTES = [
    ("/desk", desk),
    ("/patrol/<int:round_id>/<int:window_id>", card),
    ("/patrol/<int:round_id>", grid),
    ("/sitin", sitin_week),
    ("/notices", notices),
    ("/inbox", inbox),
    ("/evaluator/<token>", evaluator_state),
    ("/attendance", attendance_month),
    ("/assessment/<int:unit_id>", assessment_sheet),
]

app = create_app()
