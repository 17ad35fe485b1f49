"""View helpers shared by the sit-in pages."""
from datetime import date

from flask import request


def arg_day(name: str) -> date | None:
    """Read a YYYY-MM-DD query argument, or None."""
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def admin_department() -> int | None:
    """Read the department an admin works for (?department_id=), or None."""
    raw = request.values.get("department_id", "")
    return int(raw) if raw.isdigit() else None
