"""One-time submission keys: a form sent twice (a double tap, a Wi-Fi resend) creates its record once."""
import json
import re
import secrets
import time
from datetime import datetime, timedelta
from functools import wraps

from flask import Response, g, make_response, request
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import Index, String, Text, bindparam, delete, event, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from . import clock
from .database import commit_write, on_write_begun, write_not_begun
from .extensions import db
from .models import PkMixin, UTCDateTime
from .refusals import Refusal

FIELD = "once"
CLAIM = "submission_key_claim"  # session.info: "pending" once the key is inserted, "committed" once saved
KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
KEEP = timedelta(days=1)  # a resend comes within seconds; a day covers a tablet that was offline
REPLAYED_HEADERS = ("Location", "Content-Type", "HX-Trigger", "HX-Redirect", "HX-Retarget", "HX-Reswap",
                    "HX-Push-Url", "HX-Location", "HX-Refresh")
WAIT_STEPS, WAIT_SECONDS = 40, 0.05  # how long a twin waits for the first answer to be stored


class SubmissionKey(PkMixin, db.Model):
    """A one-time key a create form was sent with, and the answer its first sending got."""

    __tablename__ = "submission_key"
    __audit__ = False  # the record it created is audited; the key is plumbing
    __table_args__ = (Index("ix_submission_key_created", "created_at"),)

    key: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None]
    endpoint: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[int | None]
    headers: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")


# Built once (core statements on the table: no ORM bulk machinery for plumbing); only parameters change.
_KEYS = SubmissionKey.__table__
_CLAIM = insert(_KEYS)
_FREE = delete(_KEYS).where(_KEYS.c.key == bindparam("claimed"))
_STORE = (update(_KEYS).where(_KEYS.c.key == bindparam("claimed"))
          .values(status=bindparam("answer_status"), headers=bindparam("answer_headers"),
                  body=bindparam("answer_body")))


class AlreadySent(Refusal):
    """The form was sent a moment ago and its first answer is not ready yet."""

    status = 409


def new_key() -> str:
    """Make a fresh submission key for a form being rendered."""
    return secrets.token_urlsafe(18)


def field() -> Markup:
    """Render the hidden key input for a form that is not a WTForms form."""
    return Markup(f'<input type="hidden" name="{FIELD}" value="{new_key()}">')


def once(view):
    """Run a create view once per submission key; a second sending gets the first one's answer."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        key = request.form.get(FIELD, "")
        if not KEY.fullmatch(key) or not current_user.is_authenticated:
            return view(*args, **kwargs)
        if not _claim(key):
            return _replay(key)
        try:
            response = make_response(view(*args, **kwargs))
        except Claimed:  # SQLite: the key was taken while this sending read (its claim waits for its first write)
            db.session.rollback()
            return _replay(key)
        if write_not_begun() and _taken(key):  # it wrote nothing: a twin's answer, if it saved, is the answer
            return _replay(key)
        _settle(key, response)
        return response
    return wrapper


def init_app(_app=None) -> None:
    """Follow whether the transaction holding a claimed key commits (once, however many apps are built)."""
    for name, fn in (("after_commit", _claim_committed), ("after_transaction_end", _claim_ended)):
        if not event.contains(Session, name, fn):
            event.listen(Session, name, fn)


def _claim_committed(session) -> None:
    if session.info.get(CLAIM) == "pending":
        session.info[CLAIM] = "committed"


def _claim_ended(session, transaction) -> None:
    if transaction.parent is None and session.info.get(CLAIM) == "pending":
        session.info.pop(CLAIM)  # rolled back: the key went with whatever the view did not save


class Claimed(Exception):  # noqa: N818 - a signal to the wrapper, not an error anyone is shown
    """A twin sending claimed the key first (raised by the claim as this sending's write begins)."""


def _claim(key: str) -> bool:
    """Insert the key in the request's write transaction; a twin waits on it and then finds it taken.

    A plain INSERT, not an ORM object and a flush: the key is plumbing (not audited) and nothing reads it back.
    On SQLite it is inserted as the view's first write statement takes the write lock (so the lock is not held
    through the view's reads); a key found taken there raises Claimed, which no view's IntegrityError handling
    catches. On PostgreSQL it is inserted now: a twin waits on the key's row alone, not on every writer.
    """
    values = {"key": key, "user_id": current_user.id, "endpoint": request.endpoint or "", "created_at": clock.now(),
              "headers": "", "body": ""}
    if on_write_begun(lambda conn: _insert_claim(conn, values)):
        return True
    try:
        db.session.execute(_CLAIM, values)
    except IntegrityError:
        db.session.rollback()
        return False
    db.session.info[CLAIM] = "pending"
    return True


def _insert_claim(conn, values: dict) -> None:
    try:
        conn.execute(_CLAIM, values)
    except IntegrityError:
        raise Claimed from None
    db.session.info[CLAIM] = "pending"


def _taken(key: str) -> bool:
    """Say whether a sending with this key has saved (its claim committed)."""
    return db.session.execute(select(_KEYS.c.id).where(_KEYS.c.key == key)).first() is not None


def _settle(key: str, response: Response) -> None:
    """Keep the answer of a sending that saved its record; a refused one that saved anyway frees the key."""
    if db.session.info.pop(CLAIM, None) != "committed":
        return  # the view saved nothing: the key is rolled back with the rest of the request
    if response.status_code >= 400 or response.direct_passthrough:
        statement, values = _FREE, {"claimed": key}
    else:
        # A form shown again in the answer gets fresh keys, one per form.
        body = re.sub(re.escape(key), lambda _m: new_key(), response.get_data(as_text=True))
        response.set_data(body)
        headers = {h: response.headers[h] for h in REPLAYED_HEADERS if h in response.headers}
        statement, values = _STORE, {"claimed": key, "answer_status": response.status_code,
                                     "answer_headers": json.dumps(headers), "answer_body": body}
    commit_write()  # end the answer's read transaction, keeping the person loaded (no reload)
    db.session.execute(statement, values)
    commit_write()


def _replay(key: str) -> Response:
    """Answer a second sending with what the first one answered."""
    user_id = current_user.id
    g.write_committed = True  # only reads from here: on SQLite the first sending needs the write lock to settle
    for _ in range(WAIT_STEPS):
        row = db.session.execute(select(SubmissionKey.user_id, SubmissionKey.status, SubmissionKey.headers,
                                        SubmissionKey.body).where(SubmissionKey.key == key)).one_or_none()
        db.session.rollback()  # the next look must see the other worker's commit
        if row is not None and row.user_id != user_id:
            break
        if row is not None and row.status is not None:
            answer = Response(row.body, status=row.status, headers=json.loads(row.headers or "{}"))
            answer.headers["X-HallDesk-Replayed"] = "1"
            return answer
        time.sleep(WAIT_SECONDS)
    from .refusals import refused
    return refused(AlreadySent("这张表单刚才已经提交过，请刷新页面查看结果，不要重复提交"))


def purge(now: datetime | None = None) -> int:
    """Delete keys older than a day (run by the daily clean-up)."""
    cutoff = (now or clock.now()) - KEEP
    return db.session.execute(delete(SubmissionKey).where(SubmissionKey.created_at < cutoff)).rowcount or 0
