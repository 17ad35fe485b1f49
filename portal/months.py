"""The month a page shows: read from ?month=YYYY-MM, this month when absent or malformed."""
from flask import request

from . import clock


def from_args(name: str = "month") -> tuple[int, int]:
    """Return (year, month) from the query string, or this month's."""
    year, _, month = request.args.get(name, "").partition("-")
    if len(year) == 4 and year.isdigit() and month.isdigit() and 1 <= int(month) <= 12:
        return int(year), int(month)
    today = clock.today()
    return today.year, today.month
