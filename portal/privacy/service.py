"""The registry of masked values an authorised role may reveal; masking itself is portal.masking."""
from collections.abc import Callable
from dataclasses import dataclass

from ..masking import MASK, MASKERS, mask, mask_id_number, mask_name, mask_phone  # noqa: F401 - re-exported
from ..roles import Role


@dataclass(frozen=True)
class Revealable:
    """A field whose full value some roles may see on request (every reveal is audited)."""

    kind: str
    roles: frozenset[Role]
    load: Callable[[int, object], str | None]  # (object id, viewer) -> value; aborts 404 if not visible


REVEALABLE: dict[str, Revealable] = {}


def register(key: str, kind: str, roles, load) -> None:
    """Let these roles reveal a field, e.g. register("user.phone", "phone", {Role.ADMIN}, loader)."""
    REVEALABLE[key] = Revealable(kind, frozenset(Role(r) for r in roles), load)


def can_reveal(user, key: str) -> bool:
    """Say whether this person may reveal the full value of this field."""
    item = REVEALABLE.get(key)
    return bool(item and getattr(user, "is_authenticated", False) and user.roles & item.roles)
