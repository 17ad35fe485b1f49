"""Actions on the monthly assessment: review, publish, close, print, object to a line, rule on an objection."""
from flask import url_for
from flask_login import current_user

from ..access import roles
from ..audit import service as audit
from ..extensions import db
from ..forms import confirmed
from ..htmx import go
from ..once import once
from ..org import service as org
from ..pdf import start_job
from ..records import hall_record
from ..refusals import Refusal, refused
from ..roles import INSPECTORS, Role
from . import bp, months, objections
from . import sheet as sheets
from .figures import KINDS
from .forms import ObjectionForm, RulingForm
from .models import STATES, AssessmentLine, AssessmentMonth, AssessmentObjection, AssessmentSheet
from .views import chosen_month, month_panel, objections_panel, sheet_panel


def _step(action, done: str, *args):
    """Run a month action, commit, and show the month with the outcome (or the refusal)."""
    confirmed()
    try:
        action(*args, current_user)
    except Refusal as error:
        return refused(error, month_panel)
    db.session.commit()
    return month_panel(message=done)


@bp.route("/review", methods=["POST"])
@roles(Role.SUPERVISOR)
def review():
    """Mark the month reviewed (督查复核) as the ledger stands now."""
    return _step(months.review, "已复核：中心管理员可以公示", current_user.hall_id, *chosen_month())


@bp.route("/publish", methods=["POST"])
@roles(Role.ADMIN)
@once
def publish():
    """Publish the reviewed month (公示): the notice board, each unit's inbox, the objection period."""
    return _step(months.publish, "已公示：公告栏已发布，各单位可在异议期内提出异议",
                 org.hall_of(current_user), *chosen_month())


@bp.route("/close", methods=["POST"])
@roles(Role.ADMIN)
def close():
    """Close the month after its objection period: nothing in it changes any more."""
    return _step(months.close, "考核已结束：此后的更正计入下一个月", current_user.hall_id, *chosen_month())


@bp.route("/print", methods=["POST"])
@roles(*INSPECTORS)
def print_sheets():
    """Make every unit's sheet of the month as one PDF in the background and show its progress."""
    confirmed()
    year, month = chosen_month()
    hall = org.hall_of(current_user)
    result = sheets.month(hall.id, year, month)
    audit.record("export.assessment_sheets", "hall", hall.id, detail={"month": f"{year}-{month:02d}"})
    db.session.commit()
    scheme = result.units[0] if result.units else None
    job = start_job("pdf/assessment_sheets.html", f"月度考核表-{year}年{month}月.pdf", current_user.id, hall=hall,
                    month=result, sheets=[sheets.with_lines(result, s) for s in result.units],
                    state_label=STATES[result.state], labels=_labels(result),
                    scheme_base=scheme.base_centi if scheme else 0, scheme_cap=scheme.cap_centi if scheme else 0)
    return go(url_for("pdfjobs.status", job=job))


def _labels(result) -> dict:
    first = result.units[0] if result.units else None
    return {**KINDS, **({c.key: c.label for c in first.categories} if first else {})}


def _line_month(line_id: int):
    """Return the month record and sheet of a line of this hall's published sheets, or 404."""
    line = db.session.get(AssessmentLine, line_id)
    stored = db.session.get(AssessmentSheet, line.sheet_id) if line else None
    record = hall_record(AssessmentMonth, stored.month_id if stored else None)
    return record, stored


@bp.route("/lines/<int:line_id>/object", methods=["POST"])
@roles(Role.WINDOW_LEADER)
@once
def object_line(line_id):
    """Object to one line of the unit's published sheet, with a reason (异议)."""
    record, stored = _line_month(line_id)
    result = sheets.stored(record)
    sheet = result.unit(stored.department_id) if stored.user_id is None else result.person(stored.user_id)
    form = ObjectionForm()
    if not form.validate_on_submit():
        return sheet_panel(result, sheet, "请填写异议理由", 422, form, line_id)
    try:
        objections.raise_(record, line_id, current_user, form.reason.data)
    except Refusal as error:
        return refused(error, lambda **kw: sheet_panel(result, sheet, kw["message"], kw["status"], form, line_id))
    db.session.commit()
    return sheet_panel(result, sheet, "异议已提交，等待督查人员裁定")


@bp.route("/objections/<int:objection_id>/rule", methods=["POST"])
@roles(Role.SUPERVISOR)
@once
def rule(objection_id):
    """Rule on an objection: upheld voids the ledger event and restates the month; rejected keeps it."""
    objection = _objection(objection_id)
    form = RulingForm()
    if not form.validate_on_submit():
        return objections_panel("请选择裁定结果并填写裁定意见", 422, form, objection_id)
    try:
        objections.rule(objection, current_user, form.decision.data == "upheld", form.note.data)
    except Refusal as error:
        return refused(error, lambda **kw: objections_panel(kw["message"], kw["status"], form, objection_id))
    db.session.commit()
    upheld = form.decision.data == "upheld"
    return objections_panel("已裁定：" + ("该项记分已撤销，考核表已重算" if upheld else "维持原记分"))


def _objection(objection_id: int) -> AssessmentObjection:
    """Return an objection of this hall's months, or an audited 404."""
    objection = db.session.get(AssessmentObjection, objection_id)
    hall_record(AssessmentMonth, objection.month_id if objection else None)
    return objection
