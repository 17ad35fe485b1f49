"""Rulebook keys whose values must add up to a total (the red-flag weights: 100%), checked on every change."""
import tomllib
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal, InvalidOperation
from pathlib import Path

SUMS = tomllib.loads(Path(__file__).with_name("defaults.toml").read_text(encoding="utf-8")).get("sum", [])
_PENDING: ContextVar[dict | None] = ContextVar("rulebook_pending_sum", default=None)


def of(key: str) -> dict | None:
    """Return the sum rule a key belongs to, if any."""
    return next((rule for rule in SUMS if key in rule["keys"]), None)


@contextmanager
def together(values: dict[str, str]):
    """Check each change inside the block against all these values, as if made at once."""
    token = _PENDING.set(dict(values))
    try:
        yield
    finally:
        _PENDING.reset(token)


def error(candidate: dict[str, str], value_of: Callable[[str], str]) -> str | None:
    """Return the Chinese refusal if a sum the candidate touches would not add up, None if all do."""
    candidate = {**(_PENDING.get() or {}), **candidate}
    for rule in SUMS:
        if not set(rule["keys"]) & set(candidate):
            continue
        try:
            total = sum(Decimal(candidate.get(k, value_of(k))) for k in rule["keys"])
        except InvalidOperation:
            return rule["message"]
        if total != Decimal(rule["total"]):
            hint = f"，{rule['hint']}" if "hint" in rule else ""
            return f"{rule['message']}（改后合计 {total.normalize():f}%）{hint}"
    return None
