"""View helpers shared by the organisation admin pages."""
from sqlalchemy.exc import IntegrityError

from ..extensions import db


def commit_or_error(form, field: str, message: str) -> bool:
    """Commit, or roll back and put the message on the field when a unique rule refuses it (a taken name)."""
    try:
        db.session.commit()
        return True
    except IntegrityError:
        db.session.rollback()
        getattr(form, field).errors.append(message)
        return False
