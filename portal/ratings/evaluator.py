"""Evaluator devices (评价器): tokens paired to windows, and the poll state each one shows without the database."""
from dataclasses import dataclass

from sqlalchemy import func, select

from .. import clock, snapshot
from ..extensions import db
from ..org.models import Window
from ..records import hall_record
from ..refusals import Refusal
from ..rulebook import service as rules
from ..snapshot import Snapshot, new_token, paired
from .models import Evaluator, Invitation, Rating


class EvaluatorError(Refusal):
    """A refused evaluator action, told in Chinese on the device or the admin page."""


def devices(hall_id: int) -> list[Evaluator]:
    """Return the hall's evaluators, active first, by window."""
    return db.session.execute(select(Evaluator).join(Window).where(Evaluator.hall_id == hall_id)
                              .order_by(Evaluator.revoked_at.is_not(None), Window.number, Evaluator.id)
                              ).scalars().all()


def create(user, window_id: int, name: str, token: str | None = None) -> Evaluator:
    """Add an evaluator for a window of the hall, with a new secret token for its address."""
    window = hall_record(Window, window_id, hall_id=user.hall_id)
    device = Evaluator(hall_id=user.hall_id, window_id=window.id, name=(name or "").strip()[:60] or
                       f"{window.number}号窗口评价器", token=token or new_token(),
                       created_by_id=user.id, poll_seconds=rules.get("evaluation.evaluator_poll_seconds"))
    db.session.add(device)
    db.session.flush()
    return device


def revoke(user, device_id: int) -> Evaluator:
    """Revoke an evaluator's token: its address stops from the next poll on."""
    device = hall_record(Evaluator, device_id, hall_id=user.hall_id)
    if device.revoked_at is not None:
        raise EvaluatorError("这台评价器已经停用了", 409)
    device.revoked_at, device.revoked_by_id = clock.now(), user.id
    db.session.flush()
    return device


def _load() -> dict:
    latest = (select(Invitation.window_id, func.max(Invitation.id).label("inv"))
              .group_by(Invitation.window_id).subquery())
    rows = db.session.execute(
        select(Evaluator.token, Evaluator.id, Evaluator.hall_id, Evaluator.window_id, Evaluator.poll_seconds,
               Invitation.id, Invitation.expires_at, Rating.id)
        .outerjoin(latest, latest.c.window_id == Evaluator.window_id)
        .outerjoin(Invitation, Invitation.id == latest.c.inv)
        .outerjoin(Rating, Rating.invitation_id == Invitation.id)
        .where(Evaluator.revoked_at.is_(None))).all()
    return {r[0]: (r[1], r[2], r[3], r[4], r[5] or 0, int(r[6].timestamp()) if r[6] else 0, r[7] is not None)
            for r in rows}


def _signal() -> tuple:
    """Return the evaluators' generation as the database has it: one small query, seen by every app server."""
    return tuple(db.session.execute(select(
        select(func.max(Invitation.id)).scalar_subquery(), select(func.max(Rating.id)).scalar_subquery(),
        select(func.count(Evaluator.id)).scalar_subquery(),
        select(func.max(Evaluator.updated_at)).scalar_subquery())).one())


DEVICES = Snapshot("evaluator", _load, (Evaluator, Invitation, Rating), signal=_signal)


@dataclass(frozen=True)
class PollState:
    """What an evaluator shows: its window's latest invitation, if it still waits for a rating."""

    device_id: int
    hall_id: int
    window_id: int
    poll_seconds: int
    invitation_id: int
    expires: int  # epoch seconds
    rated: bool

    def asking(self, moment=None) -> int:
        """Return the invitation the device asks to rate now, or 0 when it is idle."""
        now = int((moment or clock.now()).timestamp())
        return self.invitation_id if self.invitation_id and not self.rated and now < self.expires else 0

    def etag(self, moment=None) -> str:
        """Return the version of what the device shows now."""
        return f'"e{self.device_id}.{self.poll_seconds}.i{self.asking(moment)}"'


def poll_state(token: str) -> PollState | None:
    """Return the state of an active evaluator by its token, or None (wrong or revoked)."""
    return paired(DEVICES, token, PollState)


def plausible(token: str) -> bool:
    """Say whether a token has a device token's length (others are never looked up)."""
    return snapshot.TOKEN_LENGTHS[0] <= len(token) <= snapshot.TOKEN_LENGTHS[1]
