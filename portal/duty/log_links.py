"""Records behind duty-log items (e.g. a complaint's case): a capability above duty names them, duty links them."""
from flask import Flask, current_app


def register(app: Flask, kind: str, find) -> None:
    """Let log items of this kind link to their record: find(item ids) -> {item id: (label, url)}."""
    app.extensions.setdefault("duty_log_links", {})[kind] = find


def of(items) -> dict[int, tuple[str, str]]:
    """Return (label, url) of the record behind each of these items, by item id: one lookup per linked kind."""
    found: dict[int, tuple[str, str]] = {}
    for kind, find in current_app.extensions.get("duty_log_links", {}).items():
        ids = [i.id for i in items if i.kind == kind]
        if ids:
            found.update(find(ids))
    return found
