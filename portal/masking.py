"""Mask names, phone numbers and ID numbers (个人信息脱敏): the one masking helper, used by privacy and audit."""
from collections.abc import Callable

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
