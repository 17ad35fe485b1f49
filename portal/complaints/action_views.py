"""What people do to a case: send, accept, return, pause, extension, verify, reply, callback, praise."""
from flask import request
from flask_login import current_user

from ..access import roles
from ..database import commit_write
from ..refusals import Refusal, refused
from ..roles import READERS, Role
from . import bp, handling, service
from .views import case_panel, load_case

UNIT = (Role.WINDOW_LEADER, Role.ADMIN)
CENTER = service.CENTER


def _act(case_id: int, action, done: str):
    """Run an action on a case: commit and show the case, or show the refusal with nothing saved."""
    case = load_case(case_id)
    try:
        action(case, request.form)
    except Refusal as e:
        return refused(e, lambda **kw: case_panel(load_case(case_id), **kw))
    commit_write()
    return case_panel(load_case(case_id), done)


@bp.route("/<int:case_id>/send", methods=["POST"])
@roles(*READERS)
def send(case_id):
    """Send the case to a unit of the hall (派单)."""
    return _act(case_id, lambda c, f: service.send(current_user, c, f.get("unit_id")), "已派单，等待承办单位签收")


@bp.route("/<int:case_id>/accept", methods=["POST"])
@roles(*UNIT)
def accept(case_id):
    """Accept the case for the unit (签收)."""
    return _act(case_id, lambda c, f: service.accept(current_user, c), "已签收")


@bp.route("/<int:case_id>/return", methods=["POST"])
@roles(*UNIT)
def give_back(case_id):
    """Return the case citing the unit's rule (退单)."""
    return _act(case_id, lambda c, f: service.give_back(current_user, c, f.get("rule"), f.get("reason")),
                "已退单，退回首问责任人")


@bp.route("/<int:case_id>/pause", methods=["POST"])
@roles(*UNIT)
def pause(case_id):
    """Stop the clock while waiting for the complainant's material (补充材料)."""
    return _act(case_id, lambda c, f: handling.pause(current_user, c, f.get("note")), "已暂停计时")


@bp.route("/<int:case_id>/resume", methods=["POST"])
@roles(*UNIT)
def resume(case_id):
    """Start the clock again."""
    return _act(case_id, lambda c, f: handling.resume(current_user, c, f.get("note")), "已恢复计时")


@bp.route("/<int:case_id>/extension", methods=["POST"])
@roles(*UNIT)
def extension(case_id):
    """Ask for the one extension, before the deadline (申请延期)."""
    return _act(case_id, lambda c, f: handling.ask_extension(current_user, c, f.get("reason")), "已申请延期")


@bp.route("/<int:case_id>/extension/decide", methods=["POST"])
@roles(Role.ADMIN)
def decide(case_id):
    """Approve or refuse the extension (中心审批)."""
    return _act(case_id, lambda c, f: handling.decide_extension(current_user, c, f.get("approve") == "1",
                                                                f.get("note")), "已审批延期申请")


@bp.route("/<int:case_id>/verify", methods=["POST"])
@roles(*UNIT)
def verify(case_id):
    """Record the verification (核实)."""
    return _act(case_id, lambda c, f: handling.verify(current_user, c, f.get("verdict"), f.get("note"),
                                                      f.get("staff_id"), f.get("serious") == "1"), "已记录核实结果")


@bp.route("/<int:case_id>/reply", methods=["POST"])
@roles(*UNIT)
def reply(case_id):
    """Record the formal reply to the complainant (答复)."""
    return _act(case_id, lambda c, f: handling.reply(current_user, c, f.get("text")), "已答复")


@bp.route("/<int:case_id>/callback", methods=["POST"])
@roles(*CENTER)
def callback(case_id):
    """Record the callback with the complainant's view (回访)."""
    return _act(case_id, lambda c, f: handling.callback(current_user, c, f.get("view"), f.get("note")), "已记录回访")


@bp.route("/<int:case_id>/praise", methods=["POST"])
@roles(*CENTER)
def praise(case_id):
    """Record a praise or thanks letter (表扬、感谢信)."""
    return _act(case_id, lambda c, f: handling.praise(current_user, c, f.get("note"), f.get("staff_id")),
                "已登记表扬")
