"""The month grid's day cells: each distinct cell drawn once per page, since a hall's month repeats a few dozen."""
from operator import attrgetter
from types import MappingProxyType

from flask import get_template_attribute
from markupsafe import Markup

# What a half day's mark and words follow from (its punch times do not show in the grid).
_face = attrgetter("status", "late", "early", "leave", "short")


def day_cells(rows: list, days: list) -> dict[int, Markup]:
    """Return {user_id: the row's day cells as HTML} for the mapped people, drawn by attendance/_cell.html."""
    cell = get_template_attribute("attendance/_cell.html", "cell")
    drawn, shared, out = {}, {}, {}
    for row in rows:
        if not row.mapped:
            continue
        parts = []
        for day in days:
            halves, found = row.days[day], row.findings.get(day)
            if found:  # the patrol's marks name their own times: never the same twice
                parts.append(cell(halves["am"], halves["pm"], found.get("am", ()), found.get("pm", ())))
                continue
            html = shared.get(id(halves))  # a day the sheet judged once for everyone (no punches, no leave)
            if html is None:
                key = (_face(halves["am"]), _face(halves["pm"]))
                if key not in drawn:
                    drawn[key] = cell(halves["am"], halves["pm"], (), ())
                html = drawn[key]
                if isinstance(halves, MappingProxyType):
                    shared[id(halves)] = html
            parts.append(html)
        out[row.person.id] = Markup("".join(parts))  # each part is the macro's own escaped output
    return out
