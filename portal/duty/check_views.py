"""Opening and closing checks (开厅/闭厅检查) and the admin's checklist editor."""
from flask import abort, request
from flask_login import current_user

from .. import clock
from ..access import roles
from ..extensions import db
from ..forms import ConfirmForm
from ..htmx import render
from ..once import once
from ..org import service as org
from ..refusals import refused
from ..roles import Role
from . import bp, checks
from .forms import CheckItemForm
from .models import CHECK_KINDS
from .service import DutyError, require_desk
from .views import DESK, done


def _check_panel(kind, message="", status=200, answers=None):
    """Render a check: the done result, or the form with the answers given so far (by item id)."""
    hall_id = current_user.hall_id
    return render("duty/check.html", "duty/_check.html", status=status, kind=kind, label=CHECK_KINDS[kind],
                  items=checks.items(hall_id, kind), check=checks.done(hall_id, clock.today()).get(kind),
                  message=message, ok=status == 200 and bool(message), answers=answers or {},
                  form=ConfirmForm())


@bp.route("/checks/<kind>", methods=["GET", "POST"])
@roles(*DESK)
@once
def check(kind):
    """Do today's opening or closing check: each item OK or fault with a note."""
    if kind not in CHECK_KINDS:
        abort(404)
    if request.method == "GET":
        return _check_panel(kind)
    if not ConfirmForm().validate_on_submit():
        return _check_panel(kind, "页面已过期，请刷新后重试", 400)
    answers = _answers(request.form)
    try:
        require_desk(current_user)
        c = checks.record(current_user, kind, answers, all_ok=request.form.get("all_ok") == "1")
    except DutyError as e:
        return refused(e, _check_panel, kind=kind, answers=answers)
    faults = sum(1 for r in c.results if not r.ok)
    note = f"，{faults} 项故障已登记到值班日志" if faults else "，全部正常"
    return done(_check_panel, kind, f"{CHECK_KINDS[kind]}已完成{note}")


def _answers(form) -> dict[int, tuple]:
    """Read the answers keyed by checklist item id (r-<id>: ok or fault, note-<id>: the fault)."""
    found = {}
    for key, raw in form.items():
        name, _, item_id = key.partition("-")
        if name == "r" and item_id.isdigit():
            found[int(item_id)] = ({"ok": True, "fault": False}.get(raw), form.get(f"note-{item_id}", "")[:200])
    return found


def _items_panel(message="", status=200, form=None):
    hall_id = current_user.hall_id
    form = form or CheckItemForm(formdata=None)
    offices = org.departments(hall_id, "center_office", True)
    form.office_id.choices = [("", "（无）")] + [(str(d.id), d.name) for d in offices]
    return render("duty/check_items.html", "duty/_check_items.html", status=status, form=form, message=message,
                  ok=status == 200 and bool(message), confirm=ConfirmForm(),
                  lists={k: checks.all_items(hall_id, k) for k in CHECK_KINDS}, kinds=CHECK_KINDS)


@bp.route("/check-items", methods=["GET", "POST"])
@roles(Role.ADMIN)
@once
def check_items():
    """Edit the opening and closing checklists (admin)."""
    if request.method == "GET":
        return _items_panel()
    form = CheckItemForm()
    if not form.validate_on_submit():
        return _items_panel("请检查填写的内容", 422, form)
    office = int(form.office_id.data) if str(form.office_id.data or "").isdigit() else None
    try:
        checks.add_item(current_user.hall_id, form.kind.data, form.label.data, office)
    except DutyError as e:
        return refused(e, _items_panel, form=form)
    db.session.commit()
    return _items_panel(f"已添加“{form.label.data}”")


@bp.route("/check-items/<int:item_id>/<action>", methods=["POST"])
@roles(Role.ADMIN)
def check_item_toggle(item_id, action):
    """Retire or restore a checklist line."""
    if action not in ("retire", "restore"):
        abort(404)
    if not ConfirmForm().validate_on_submit():
        return _items_panel("请刷新页面后重试", 400)
    try:
        row = checks.set_active(current_user.hall_id, item_id, action == "restore")
    except DutyError as e:
        return refused(e, _items_panel)
    db.session.commit()
    return _items_panel(f"“{row.label}”已{'恢复' if row.active else '停用'}")
