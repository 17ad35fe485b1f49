"""Pages of the red flags and awards (流动红旗, 优秀, 服务标兵): standings, the duty leaders' vote, awarding."""
from flask import request
from flask_login import current_user

from .. import clock
from ..access import roles
from ..extensions import db
from ..forms import ConfirmForm, confirmed
from ..htmx import render
from ..once import once
from ..org import service as org
from ..refusals import Refusal, refused
from ..roles import DESK, LEDGER_ALL, READERS, Role
from ..rulebook import service as rules
from ..rulebook import sums
from . import bp, excellence, redflags, votes
from . import sheet as sheets
from .views import chosen_month, month_nav


def awards_panel(message: str = "", status: int = 200, level: str | None = None):
    """Render the month's red-flag standings and excellence grading."""
    year, month = chosen_month()
    result = sheets.month(current_user.hall_id, year, month)
    standings = redflags.standings(current_user.hall_id, year, month, result)
    done = redflags.awarded(current_user.hall_id, year, (month,))
    return render("assessment/awards/index.html", "assessment/awards/_index.html", status=status,
                  result=result, standings=standings, done=done, m=month_nav(year, month),
                  grading=excellence.month(current_user.hall_id, year, month, result),
                  rule=redflags.formula(current_user.hall_id), voting=votes.is_open(current_user.hall_id, year, month),
                  message=message, level=level or ("error" if status >= 400 else "ok"))


@bp.route("/awards")
@roles(*LEDGER_ALL)
def awards():
    """Show the month's red-flag standings (流动红旗) and who is graded 优秀, excluded or a service star."""
    return awards_panel()


@bp.route("/awards/award", methods=["POST"])
@roles(Role.ADMIN)
@once
def awards_award():
    """Award the month's red flags and give each red-flag unit's staff the rulebook's bonus."""
    confirmed()
    try:
        rows = redflags.award(current_user, *chosen_month())
    except Refusal as error:
        return refused(error, awards_panel)
    db.session.commit()
    return awards_panel(message=f"已评定 {len(rows)} 个流动红旗窗口单位，其工作人员已记加分")


def vote_panel(message: str = "", status: int = 200, level: str | None = None):
    """Render the duty leader's ballot for the month's red flags."""
    year, month = chosen_month()
    hall_id = current_user.hall_id
    return render("assessment/awards/vote.html", "assessment/awards/_vote.html", status=status,
                  m=month_nav(year, month), units=org.departments(hall_id, "window_unit", True),
                  voter=current_user.id in votes.voters(hall_id, year, month), form=ConfirmForm(),
                  voted=votes.has_voted(current_user, year, month), open_=votes.is_open(hall_id, year, month),
                  most=rules.get("assessment.red_flags_per_month"), message=message,
                  level=level or ("error" if status >= 400 else "ok"))


@bp.route("/awards/vote", methods=["GET", "POST"])
@roles(*DESK)
@once
def awards_vote():
    """Vote, as one of the month's duty leaders, for the window units that earned a red flag."""
    if request.method == "GET":
        return vote_panel()
    confirmed()
    try:
        votes.cast(current_user, *chosen_month(), request.form.getlist("department_id"))
    except Refusal as error:
        return refused(error, vote_panel)
    db.session.commit()
    return vote_panel(message="投票已记录，谢谢")


@bp.route("/awards/flags")
@roles(*READERS)
def awards_flags():
    """Show the year's red flags: each month's, each quarter's and the year's."""
    year = request.args.get("year", type=int) or clock.today().year
    hall_id = current_user.hall_id
    return render("assessment/awards/flags.html", "assessment/awards/_flags.html", year=year,
                  months=redflags.awarded(hall_id, year), whole=redflags.whole_year(hall_id, year),
                  quarters=[(q, redflags.quarter(hall_id, year, q)) for q in (1, 2, 3, 4)])


def weights_panel(message: str = "", status: int = 200, level: str | None = None, values: dict | None = None):
    """Render the form that changes the red-flag weights together."""
    keys = [f"assessment.red_flag_weight_{k}" for k in redflags.PARTS]
    shown = values or {k: rules.raw_value(k) for k in keys}
    return render("assessment/awards/weights.html", "assessment/awards/_weights.html", status=status,
                  fields=[(k, rules.DEFINITIONS[k].label, shown[k]) for k in keys], form=ConfirmForm(),
                  message=message, level=level or ("error" if status >= 400 else "ok"))


@bp.route("/awards/weights", methods=["GET", "POST"])
@roles(Role.ADMIN)
def awards_weights():
    """Change the four red-flag weights at once: refused unless they add up to 100%."""
    if request.method == "GET":
        return weights_panel()
    confirmed()
    wanted = {f"assessment.red_flag_weight_{k}": request.form.get(k, "").strip() for k in redflags.PARTS}
    error = _weights_error(wanted)
    if error:
        return weights_panel(message=error, status=422, values=wanted)
    with sums.together(wanted):
        for key, raw in wanted.items():
            rules.change(key, raw, current_user, "流动红旗权重一并调整")
    return weights_panel(message="权重已保存")


def _weights_error(wanted: dict) -> str | None:
    """Check every weight and their sum before any is stored, so none is saved if one is refused."""
    for key, raw in wanted.items():
        try:
            rules.parse(rules.DEFINITIONS[key], raw)
        except ValueError as exc:
            return f"{rules.DEFINITIONS[key].label}：{exc}"
    return sums.error(wanted, rules.raw_value)
