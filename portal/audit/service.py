"""Write and verify the audit chain; every flush of a business change is recorded here."""
import hashlib
import json
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from flask import has_request_context, request
from sqlalchemy import event, func, insert, inspect, select, text
from sqlalchemy.orm import Session

from .. import clock
from ..database import lock_for_writing
from ..extensions import db
from ..masking import mask
from ..refusals import Refusal
from .models import PURGE_FLAG, AuditEvent

GENESIS = "0" * 64
CHAIN_LOCK_KEY = 7_420_001  # PostgreSQL advisory lock id for the chain head
HEAD = "audit_chain_head"  # session.info key: the hash the next row of this transaction links to
QUEUE = "audit_queue"  # session.info key: this transaction's audit rows, chained and inserted as it commits
MARKS = "audit_queue_marks"  # session.info key: the queue's length when each open savepoint began
# Every character that could start a new line or hide text in a log viewer, CSV or terminal.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(value, limit: int = 200) -> str:
    """Make a user-supplied string safe for a one-line record: no control characters."""
    value = "" if value is None else str(value)
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)[:limit]


def _one_line_json(data: dict) -> str:
    # json.dumps escapes C0 controls itself; the other line and direction marks are escaped here.
    text_ = json.dumps({k: _jsonable(v) for k, v in data.items()}, ensure_ascii=False, sort_keys=True)
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text_)


_PLAIN = frozenset((str, int, float, bool, type(None)))  # exactly these types: as they are


def _jsonable(value):
    kind = type(value)
    if kind in _PLAIN:  # most values (a subclass takes the checks below, as before)
        return value
    if kind is list:
        return [_jsonable(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(str(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _actor():
    """Return (user_id, login, ip) of whoever is acting now."""
    if not has_request_context():
        return None, "system", "cli"
    from flask_login import current_user
    user = current_user._get_current_object() if current_user else None
    if user is not None and getattr(user, "is_authenticated", False):
        return user.id, user.login, clean(request.remote_addr, 64)
    return None, "", clean(request.remote_addr, 64)


def _digest(row: AuditEvent) -> str:
    payload = json.dumps(
        [row.prev_hash, row.at.astimezone(UTC).isoformat(), row.user_id, row.user_login, row.ip, row.event,
         row.object_type, row.object_id, row.result, row.detail],
        ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def _fields(event_name: str, object_type: str = "", object_id="", result: str = "ok",
            detail: dict | None = None, user=None) -> dict:
    """Return the columns of an unchained audit row for the current actor."""
    uid, login, ip = _actor()
    if user is not None:
        uid, login = user.id, user.login
    return {"at": clock.now(), "user_id": uid, "user_login": clean(login, 80), "ip": ip,
            "event": clean(event_name, 64), "object_type": clean(object_type, 64),
            "object_id": clean(object_id, 64), "result": result, "detail": _one_line_json(detail or {}),
            "prev_hash": "", "hash": ""}


def build(event_name: str, object_type: str = "", object_id="", result: str = "ok",
          detail: dict | None = None, user=None) -> AuditEvent:
    """Build an unchained audit row for the current actor (chained when flushed)."""
    return AuditEvent(**_fields(event_name, object_type, object_id, result, detail, user))


class _Queued:
    """An audit row built straight onto the transaction's queue: an AuditEvent's columns, no ORM bookkeeping."""

    __slots__ = ("at", "user_id", "user_login", "ip", "event", "object_type", "object_id", "result", "detail",
                 "prev_hash", "hash")

    def __init__(self, fields: dict):
        for key, value in fields.items():
            setattr(self, key, value)


def _queued(event_name: str, object_type: str, object_id, detail: dict) -> _Queued:
    return _Queued(_fields(event_name, object_type, object_id, "ok", detail))


def record(event_name: str, object_type: str = "", object_id="", result: str = "ok",
           detail: dict | None = None, user=None) -> None:
    """Add an audit row to the current transaction (committed with the business change)."""
    Prepared(event_name, object_type, result, detail, user).record(object_id)


class Prepared:
    """An audit row's columns built ahead (its detail's JSON above all), to be recorded once its object has an id."""

    __slots__ = ("fields",)

    def __init__(self, event_name: str, object_type: str = "", result: str = "ok", detail: dict | None = None,
                 user=None):
        self.fields = _fields(event_name, object_type, "", result, detail, user)

    def row(self, object_id) -> _Queued:
        """Return the unchained row for the object with this id (for write_on)."""
        return _Queued({**self.fields, "object_id": clean(object_id, 64)})

    def record(self, object_id) -> None:
        """Add the row, for the object with this id, to the current transaction (committed with the change)."""
        fields = {**self.fields, "object_id": clean(object_id, 64)}
        session = db.session()
        if session.in_transaction():
            # Straight onto the transaction's queue, where the next flush would have put it (no flush needed).
            session.info.setdefault(QUEUE, []).append(_Queued(fields))
        else:
            session.add(AuditEvent(**fields))  # queued by the next flush


def record_now(event_name: str, object_type: str = "", object_id="", result: str = "ok",
               detail: dict | None = None, user=None) -> None:
    """Record an event in its own transaction, e.g. a failure whose request saves nothing else."""
    from ..database import write_transaction
    row = build(event_name, object_type, object_id, result, detail, user)
    with write_transaction() as session:
        session.add(row)


# --- automatic auditing of every business write -------------------------------------

def _changes(obj, deleted=False) -> dict:
    state = inspect(obj)
    hidden = getattr(obj, "__audit_hidden__", ())
    masked = getattr(obj, "__audit_masked__", {})

    def shown(key, value):
        if key in hidden:
            return "***"
        return mask(value, masked[key]) if key in masked and value else _jsonable(value)

    changes = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        hist = state.attrs[key].history
        if deleted:
            changes[key] = shown(key, getattr(obj, key))
        elif hist.has_changes():
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if key in ("created_at", "updated_at"):
                continue
            changes[key] = [shown(key, old), shown(key, new)]
    return changes


def _audited(obj) -> bool:
    return getattr(obj, "__audit__", True)


def _queue_pending(session, _ctx, _instances):
    """Take the audit rows added to the session out of the flush, in insertion order, onto the transaction's queue.

    The queue is chained and inserted once, as the transaction commits (_write_queue): one insert however
    many flushes the transaction made, and the chain lock held only from then on.
    """
    pending = [o for o in session.new if isinstance(o, AuditEvent) and not o.hash]
    if not pending:
        return
    pending.sort(key=lambda r: inspect(r).insert_order)
    for row in pending:
        session.expunge(row)
    session.info.setdefault(QUEUE, []).extend(pending)


def _values(row: AuditEvent) -> dict:
    return {key: getattr(row, key) for key in _COLUMNS}


def _collect_changes(session, _ctx):
    """Note every insert, update and delete of an audited model, with its id now known."""
    found = session.info.setdefault("audit_changes", [])
    for verb, objs in (("create", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objs:
            if not _audited(obj) or (verb == "update" and not session.is_modified(obj)):
                continue
            changes = _changes(obj, deleted=(verb == "delete"))
            if changes:
                key = inspect(obj).mapper.primary_key_from_instance(obj)
                oid = "/".join(str(k) for k in key)
                found.append((f"{obj.__tablename__}.{verb}", obj.__tablename__, oid, changes))


def record_created(model, object_id, values: dict) -> None:
    """Audit a row of an audited model inserted without the ORM, exactly as the flush listeners audit its insert.

    values: the columns the caller set (as an ORM constructor would have been given them, foreign keys
    included); defaults the database or the column fills in are not part of an ORM insert's record either.
    """
    session = db.session()
    session.flush()  # anything pending is recorded first, as one flush with it would have
    session.info.setdefault(QUEUE, []).append(created_row(model, object_id, values))


def created_row(model, object_id, values: dict) -> _Queued:
    """Return the unchained audit row of such an insert (record_created's; for write_on outside the session)."""
    hidden = getattr(model, "__audit_hidden__", ())
    masked = getattr(model, "__audit_masked__", {})

    def shown(key, value):
        if key in hidden:
            return "***"
        return mask(value, masked[key]) if key in masked and value else _jsonable(value)
    changes = {k: [None, shown(k, v)] for k, v in values.items() if k not in ("created_at", "updated_at")}
    table = model.__tablename__
    return _queued(f"{table}.create", table, object_id, {"changes": changes})


def _model_of(table: str):
    """The mapped class of a table, for its hidden and masked columns (None for a bare table)."""
    return next((m.class_ for m in db.Model.registry.mappers if m.local_table.name == table), None)


def record_inserted(table: str, rows: list[dict]) -> None:
    """Audit rows a multi-row insert added (ids known), as the listeners audit an ORM insert of each."""
    model = _model_of(table)
    hidden = getattr(model, "__audit_hidden__", ())
    masked = getattr(model, "__audit_masked__", {})

    def shown(key, value):
        if key in hidden:
            return "***"
        return mask(value, masked[key]) if key in masked else _jsonable(value)
    db.session.add_all([build(f"{table}.create", table, row["id"], "ok", {"changes": {
        k: [None, shown(k, v)] for k, v in row.items() if k != "id" and v is not None}}) for row in rows])


def _write_changes(session, _ctx):
    """Queue the noted changes as unchained audit rows, after those of earlier flushes."""
    found = session.info.pop("audit_changes", None)
    if found:
        session.info.setdefault(QUEUE, []).extend(
            _queued(name, otype, oid, {"changes": changes}) for name, otype, oid, changes in found)


def _write_queue(session):
    """As the transaction commits: flush what is left, then chain and insert the queue in one statement.

    A savepoint's release writes nothing: its rows wait for the transaction, so that rolling back an
    enclosing savepoint can still drop exactly the rows queued inside it.
    """
    if session.in_nested_transaction():
        return
    for _guard in range(100):  # a flush's listeners may add more to flush, as commit's own loop allows
        if not (session.new or session.deleted or session.dirty):
            break
        session.flush()
    rows = session.info.pop(QUEUE, None)
    if not rows:
        return
    _chain(session, rows)
    # One multi-row insert in chain order (the ORM would insert SQLite rows one by one to read their ids back).
    session.connection().execute(_INSERT, [_values(row) for row in rows])


def _mark_savepoint(session, transaction):
    """Note how long the queue was when a savepoint began: rolling it back drops what was queued inside."""
    if transaction.nested:
        session.info.setdefault(MARKS, {})[transaction] = len(session.info.get(QUEUE, ()))


def _savepoint_rolled_back(session, transaction):
    """Drop the audit rows queued inside a savepoint that was rolled back, with the changes they recorded."""
    mark = session.info.get(MARKS, {}).pop(transaction, None)
    if mark is not None and QUEUE in session.info:
        del session.info[QUEUE][mark:]


def _end_transaction(session, transaction):
    """Forget the chain head and unwritten rows: the next transaction reads the head again under its lock.

    A flush's own subtransaction ending changes nothing: the head stays this transaction's (its lock is held);
    a savepoint ending forgets the head, as the audit rows written inside it may have been rolled back.
    """
    if transaction.parent is not None and not transaction.nested:
        return
    session.info.pop(HEAD, None)
    if transaction.parent is None:
        for key in ("audit_changes", QUEUE, MARKS):
            session.info.pop(key, None)


LISTENERS = (("before_flush", _queue_pending), ("after_flush", _collect_changes),
             ("after_flush_postexec", _write_changes), ("before_commit", _write_queue),
             ("after_transaction_create", _mark_savepoint), ("after_soft_rollback", _savepoint_rolled_back),
             ("after_transaction_end", _end_transaction))


def init_app(_app=None) -> None:
    """Attach the audit listeners to every session (once, however many apps are built)."""
    for name, fn in LISTENERS:
        if not event.contains(Session, name, fn):
            event.listen(Session, name, fn)


_CHAIN_LOCK = text("SELECT pg_advisory_xact_lock(:k)")
_HEAD = select(AuditEvent.__table__.c.hash).where(AuditEvent.__table__.c.hash != "").order_by(
    AuditEvent.__table__.c.id.desc()).limit(1)
_INSERT = insert(AuditEvent.__table__)
_COLUMNS = [c.key for c in AuditEvent.__table__.columns if c.key != "id"]


def _head(session) -> str:
    """Return this transaction's chain head, read once after taking the chain lock (or SQLite's write lock)."""
    if HEAD not in session.info:
        # Straight on the transaction's connection: a plain column read, nothing of the session's to flush.
        connection = session.connection()
        if connection.dialect.name != "postgresql":
            lock_for_writing(session)  # SQLite: the write lock orders the chain
        session.info[HEAD] = _locked_head(connection)
    return session.info[HEAD]


def _locked_head(connection) -> str:
    """Take PostgreSQL's chain lock (SQLite's write lock is the caller's) and read the chain's head."""
    if connection.dialect.name == "postgresql":
        connection.execute(_CHAIN_LOCK, {"k": CHAIN_LOCK_KEY})
    return connection.execute(_HEAD).scalar() or GENESIS


def _link(rows, prev: str) -> str:
    """Chain the rows after prev, in order; return the last one's hash."""
    for row in rows:
        row.prev_hash = prev
        row.hash = _digest(row)
        prev = row.hash
    return prev


def _chain(session, rows) -> None:
    session.info[HEAD] = _link(rows, _head(session))


def write_on(connection, rows: list) -> None:
    """Chain and insert audit rows (Prepared.row's) in a transaction of their own connection, outside the session.

    For a DriverConnection whose transaction has written already (on SQLite it holds the write lock): the
    chain's head is read under the lock, as the session's commit reads it, and the rows go in one insert.
    """
    _link(rows, _locked_head(connection))
    connection.execute(_INSERT, [_values(row) for row in rows])


def verify() -> tuple[bool, list[str]]:
    """Walk the chain and report every row whose link or content does not match."""
    anchors = {json.loads(d).get("anchor") for d in db.session.execute(
        select(AuditEvent.detail).where(AuditEvent.event == "audit.purge")).scalars()}
    problems, prev = [], None
    for row in db.session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars().yield_per(2000):
        if prev is None:
            linked = row.prev_hash == GENESIS or row.prev_hash in anchors
        else:
            linked = row.prev_hash == prev
        if not linked:
            problems.append(f"#{row.id}: 链接断开（之前的记录被删除或篡改）")
        if _digest(row) != row.hash:
            problems.append(f"#{row.id}: 内容与哈希不符（记录被修改）")
        prev = row.hash
    return (not problems), problems


class PurgeRefused(Refusal):
    """A purge that would delete records still within the retention period."""


def purge_before(cutoff: date, retention_days: int) -> int:
    """Delete audit rows older than cutoff, never any within the retention period."""
    limit = clock.today() - timedelta(days=retention_days)
    if cutoff > limit:
        raise PurgeRefused(f"审计记录至少保留 {retention_days} 天，不能清理 {limit} 之后的记录")
    cutoff_dt = datetime.combine(cutoff, datetime.min.time(), tzinfo=clock.hall_tz())
    # Only a prefix of the chain can go: everything before the first record that must be kept.
    first_kept = db.session.execute(select(func.min(AuditEvent.id)).where(AuditEvent.at >= cutoff_dt)).scalar()
    q = select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id)
    old = db.session.execute(q.where(AuditEvent.id < first_kept) if first_kept else q).all()
    if not old:
        return 0
    if db.session.get_bind().dialect.name == "postgresql":
        # The append-only trigger lets only this command delete, and only rows past the legal minimum.
        db.session.execute(text(f"SET LOCAL {PURGE_FLAG} = 'on'"))
    db.session.execute(db.delete(AuditEvent).where(AuditEvent.id <= old[-1].id))
    # The purge record keeps the last deleted hash, so the next row still verifies.
    record("audit.purge", "audit_event", "", "ok",
           {"deleted": len(old), "before": cutoff.isoformat(), "anchor": old[-1].hash})
    db.session.commit()
    return len(old)
