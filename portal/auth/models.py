"""Server-side sign-in sessions and password history."""
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import hallscope
from ..extensions import db
from ..models import PkMixin, TimestampMixin, UTCDateTime
from ..roles import COUNTY_ACTS_AS, HOME_PRIORITY, Role


class UserRole(db.Model):
    """One role held by one person."""

    __tablename__ = "user_role"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(24), primary_key=True)


class User(UserMixin, TimestampMixin, db.Model):
    """A person who works in the hall and may sign in to the portal."""

    __tablename__ = "user"
    __audit_hidden__ = ("password_hash", "calendar_token")
    __audit_masked__ = {"phone": "phone"}  # personal data stays masked in the audit log too

    home_hall_id: Mapped[int] = mapped_column("hall_id", ForeignKey("hall.id"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    login: Mapped[str] = mapped_column(String(40), unique=True)
    phone: Mapped[str] = mapped_column(String(20), default="")
    email: Mapped[str] = mapped_column(String(120), default="")  # for the daily inbox digest, if the hall mails
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    window_id: Mapped[int | None] = mapped_column(ForeignKey("window.id", use_alter=True), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    password_hash: Mapped[str] = mapped_column(String(256), default="")
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    must_change_password: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    calendar_token: Mapped[str] = mapped_column(String(64), default="")

    # Organisation tables are named, not imported: org stands on auth, not the other way.
    hall = relationship("Hall")
    department = relationship("Department", foreign_keys=[department_id])
    window = relationship("Window", foreign_keys=[window_id])
    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @hybrid_property
    def hall_id(self) -> int:
        """The hall the person acts in: their own, or for county roles the station chosen this request."""
        return hallscope.acting_hall(self)

    @hall_id.inplace.setter
    def _hall_id_setter(self, value: int) -> None:
        self.home_hall_id = value

    @hall_id.inplace.expression
    @classmethod
    def _hall_id_expression(cls):
        return cls.home_hall_id

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def held_roles(self) -> set[Role]:
        """The roles the person was given (what the people page edits)."""
        return {Role(r.role) for r in self.role_rows}

    @property
    def roles(self) -> set[Role]:
        """The roles the person acts with: those held, and the station role a county role acts as."""
        held = self.held_roles
        return held | {COUNTY_ACTS_AS[r] for r in held if r in COUNTY_ACTS_AS}

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles & set(roles))

    def set_roles(self, roles) -> None:
        wanted = {Role(r).value for r in roles}
        self.role_rows = [r for r in self.role_rows if r.role in wanted] + [
            UserRole(role=r) for r in sorted(wanted - {r.role for r in self.role_rows})]

    @property
    def primary_role(self) -> Role | None:
        return next((r for r in HOME_PRIORITY if r in self.roles), None)

    @property
    def role_labels(self) -> str:
        return "、".join(r.label for r in HOME_PRIORITY if r in self.held_roles)


class UserSession(db.Model):
    """One signed-in session; revoking it ends the session even if the cookie is replayed."""

    __tablename__ = "user_session"
    __audit__ = False  # sign-in and sign-out are audited as events of their own

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str] = mapped_column(String(32), default="")
    ip: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[User] = relationship(lazy="joined")


class PasswordHistory(PkMixin, db.Model):
    """An earlier password hash, kept so it cannot be reused."""

    __tablename__ = "password_history"
    __audit__ = False

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
