"""Reveal one masked value to a person allowed to see it, and audit the reveal."""
from flask import abort
from flask_login import current_user

from ..access import signed_in
from ..audit import service as audit
from ..extensions import db
from ..htmx import render
from . import bp, service


@bp.route("/reveal/<key>/<int:obj_id>", methods=["POST"])
@signed_in  # which roles may reveal depends on the field: checked against the registry below
def reveal(key, obj_id):
    """Show the full value of a masked field (the reveal is audited)."""
    item = service.REVEALABLE.get(key)
    if item is None:
        abort(404)
    if not service.can_reveal(current_user, key):
        abort(403)
    value = item.load(obj_id, current_user)
    audit.record("privacy.reveal", key.split(".")[0], obj_id, "ok", {"field": key})
    db.session.commit()
    return render("privacy/reveal.html", "privacy/_value.html", value=value or "", key=key, obj_id=obj_id)
