"""Password rules (密码策略): length, character classes, common passwords, reuse."""
import secrets
import string
from functools import lru_cache

from flask import current_app, has_app_context
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from .. import clock
from ..extensions import db
from ..rulebook import service as rules
from .models import PasswordHistory

MAX_LENGTH = 128
COMMON_LIST_SIZE = 10000
# One-time passwords are read out face to face: no l, I, 1, O, 0 (nor o) to mistake for one another.
UNAMBIGUOUS = {"upper": "ABCDEFGHJKLMNPQRSTUVWXYZ", "lower": "abcdefghijkmnpqrstuvwxyz", "digit": "23456789"}
GROUP = 4


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """Return the most common passwords, from the zxcvbn package's frequency list."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS
    return frozenset(FREQUENCY_LISTS["passwords"][:COMMON_LIST_SIZE])


def classes(password: str) -> int:
    """Count the character classes used: upper, lower, digit, other (symbols, Chinese)."""
    alnum = string.ascii_letters + string.digits
    return sum([any(c in string.ascii_uppercase for c in password),
                any(c in string.ascii_lowercase for c in password),
                any(c in string.digits for c in password),
                any(c not in alnum for c in password)])


def problems(password: str, login: str) -> list[str]:
    """Return every rule the password breaks, in Chinese."""
    found = []
    min_len = rules.get("security.password_min_length")
    min_classes = rules.get("security.password_min_classes")
    if len(password) < min_len:
        found.append(f"密码至少 {min_len} 个字符")
    if len(password) > MAX_LENGTH:
        found.append(f"密码不能超过 {MAX_LENGTH} 个字符")
    if classes(password) < min_classes:
        found.append(f"密码须包含大写字母、小写字母、数字、符号中的至少 {min_classes} 类")
    lowered = password.lower()
    if login and login.lower() in lowered:
        found.append("密码不能包含登录名")
    if lowered in common_passwords() or lowered.rstrip("0123456789!@#.") in common_passwords():
        found.append("这是常见密码，容易被猜到，请换一个")
    return found


def one_time_password() -> str:
    """Make a one-time password in groups of four, free of look-alike characters, that meets the rules."""
    letters = "".join(UNAMBIGUOUS.values())
    groups = -(-rules.get("security.password_min_length") // GROUP)
    while True:
        chunks = ["".join(secrets.choice(letters) for _ in range(GROUP)) for _ in range(groups)]
        secret = "Hd-" + "-".join(chunks)
        if all(any(c in kind for c in secret) for kind in UNAMBIGUOUS.values()) and not problems(secret, ""):
            return secret


def hash_password(password: str) -> str:
    """Hash a password with scrypt."""
    method = current_app.config["PASSWORD_HASH_METHOD"] if has_app_context() else "scrypt"
    return generate_password_hash(password, method=method)


def matches(pw_hash: str, password: str) -> bool:
    """Check a password against its hash."""
    return bool(pw_hash) and check_password_hash(pw_hash, password)


def reused(user, password: str) -> bool:
    """Say whether this password is the current one or one of the last N."""
    keep = rules.get("security.password_history")
    if matches(user.password_hash, password):
        return True
    if keep <= 1:
        return False
    old = db.session.execute(select(PasswordHistory.password_hash)
                             .where(PasswordHistory.user_id == user.id)
                             .order_by(PasswordHistory.id.desc()).limit(keep - 1)).scalars()
    return any(matches(h, password) for h in old)


def set_password(user, password: str, must_change: bool) -> None:
    """Store a new password, keeping the previous hash in the history."""
    if user.password_hash and user.id:
        db.session.add(PasswordHistory(user_id=user.id, password_hash=user.password_hash,
                                       created_at=clock.now()))
    user.password_hash = hash_password(password)
    user.password_changed_at = clock.now()
    user.must_change_password = must_change


def expired(user) -> bool:
    """Say whether the password is older than the rulebook allows."""
    return changed_too_long_ago(user.password_changed_at)


def changed_too_long_ago(changed_at) -> bool:
    """Say whether a password changed at this moment is older than the rulebook allows."""
    max_age = rules.get("security.password_max_age_days")
    if not max_age or changed_at is None:
        return False
    return (clock.now() - changed_at).days >= max_age
