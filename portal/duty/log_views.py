"""The duty log (值班日志): register, the four steps, amendments, filters and search."""
from datetime import date

from flask import request
from flask_login import current_user

from .. import clock
from ..access import roles
from ..htmx import render
from ..once import once
from ..org import service as org
from ..refusals import refused
from . import bp, log, log_links
from .forms import AmendForm, LogItemForm, StepForm
from .models import LOG_KINDS, STEPS
from .service import DutyError, require_desk
from .views import DESK, done


def _filters():
    a = request.args
    try:
        day = date.fromisoformat(a.get("day", ""))
    except ValueError:
        day = None
    window = a.get("window", "")
    return {"day": day, "kind": a.get("kind", ""), "state": a.get("state", ""),
            "window_id": int(window) if window.isdigit() else None, "q": a.get("q", "").strip()[:50]}


def _windows():
    return org.window_choices(current_user.hall_id)


def _new_form(form=None):
    form = form or LogItemForm(formdata=None)
    form.window_id.choices = [("", "（不涉及窗口）")] + [(str(w.id), f"{w.number} {w.name}") for w in _windows()]
    return form


def _list_context() -> dict:
    f = _filters()
    return {"items": log.search(current_user.hall_id, **f), "f": f, "kinds": LOG_KINDS, "states": STEPS,
            "windows": _windows(), "today": clock.today()}


def _list_panel(message="", status=200, form=None):
    return render("duty/log.html", "duty/_log.html", status=status, **_list_context(), form=_new_form(form),
                  message=message, ok=status == 200 and bool(message))


def _new_panel(message="", status=200, form=None, item=None):
    """Answer the register form: for htmx the form alone (and the new row on top of the list), else the page."""
    return render("duty/log.html", "duty/_log_created.html" if item else "duty/_log_new.html", status=status,
                  page_context=_list_context, form=_new_form(form), item=item,
                  message=message, ok=status == 200 and bool(message))


@bp.route("/log")
@roles(*DESK)
def log_list():
    """List duty log items by day, kind, state and window, with a search."""
    return _list_panel()


@bp.route("/log/new", methods=["POST"])
@roles(*DESK)
@once
def log_new():
    """Register a log item (登记)."""
    form = LogItemForm()
    if not form.validate_on_submit():
        return _new_panel("请检查填写的内容", 422, form)
    try:
        require_desk(current_user)
        item = log.register(current_user, form.kind.data, form.text.data, form.window_id.data or None,
                            form.people.data, form.major.data)
    except DutyError as e:
        return refused(e, _new_panel, form=form)
    # The new row is shown as saved: its window needs no reload after the commit.
    return done(_new_panel, f"已登记：{item.kind_label} #{item.id}", item=item, keep=(item.window,))


def _item_panel(item, message="", status=200, step_form=None, amend_form=None):
    step_form = step_form or StepForm(formdata=None)
    amend_form = amend_form or AmendForm(formdata=None, text=item.text)
    return render("duty/log_item.html", "duty/_log_item.html", status=status, item=item, step_form=step_form,
                  amend_form=amend_form, message=message, ok=status == 200 and bool(message),
                  original=log.original_text(item), record=log_links.of([item]).get(item.id))


@bp.route("/log/<int:item_id>")
@roles(*DESK)
def log_item(item_id):
    """Show a log item with its steps and amendments, and the form for its next step."""
    return _item_panel(log.item_for(current_user, item_id))


def _write(item_id, form, form_key, action, message):
    """Run one write on an item from its form; refusals re-render the item with the message."""
    item = log.item_for(current_user, item_id)
    if not form.validate_on_submit():
        return _item_panel(item, "请填写完整后再保存", 422, **{form_key: form})
    try:
        require_desk(current_user)
        action(item)
    except DutyError as e:
        def again(message, status):
            return _item_panel(log.item_for(current_user, item_id), message, status, **{form_key: form})
        return refused(e, again)
    return done(_item_panel, item, message(item))


@bp.route("/log/<int:item_id>/step", methods=["POST"])
@roles(*DESK)
@once
def log_step(item_id):
    """Record the item's next step; skipping a step or a stale version is refused."""
    form = StepForm()
    return _write(item_id, form, "step_form",
                  lambda item: log.advance(current_user, item.id, form.step.data, form.note.data, form.version.data),
                  lambda item: f"已记录“{STEPS[item.state]}”")


@bp.route("/log/<int:item_id>/amend", methods=["POST"])
@roles(*DESK)
@once
def log_amend(item_id):
    """Correct an item's text; the original stays on the record."""
    form = AmendForm()
    return _write(item_id, form, "amend_form",
                  lambda item: log.amend(current_user, item.id, form.text.data, form.reason.data, form.version.data),
                  lambda item: "已更正，原内容保留在记录中")
