"""Mask names, phone numbers and ID numbers; the registry of values an authorised role may reveal."""
from collections.abc import Callable
from dataclasses import dataclass

from ..roles import Role

MASK = "*"


def mask_name(name: str | None, keep_last: bool = True) -> str:
    """Mask a person's name: 张三 -> 张*, 张小明 -> 张*明 (or 张** without the last character)."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2 or not keep_last:
        return name[0] + MASK * (len(name) - 1)
    return name[0] + MASK * (len(name) - 2) + name[-1]


def mask_phone(phone: str | None) -> str:
    """Mask a phone number, keeping the first 3 and last 4 digits: 138****5678."""
    phone = (phone or "").strip()
    digits = [i for i, c in enumerate(phone) if c.isdigit()]
    if len(digits) <= 7:
        return MASK * len(phone)
    hidden = set(digits[3:-4])
    return "".join(MASK if i in hidden else c for i, c in enumerate(phone))


def mask_id_number(number: str | None) -> str:
    """Mask an ID number (身份证号) down to its last 4 characters."""
    number = (number or "").strip()
    if len(number) <= 4:
        return MASK * len(number)
    return MASK * (len(number) - 4) + number[-4:]


MASKERS: dict[str, Callable[[str | None], str]] = {
    "name": mask_name, "phone": mask_phone, "id_number": mask_id_number}


def mask(value: str | None, kind: str) -> str:
    """Mask a value of the given kind (name, phone, id_number)."""
    return MASKERS[kind](value)


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
