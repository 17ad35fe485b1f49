"""Bootstrap a real installation: the first hall and its first admin."""
from sqlalchemy import select

from .auth import passwords
from .auth.models import User
from .extensions import db
from .org.models import Hall
from .org.service import add_hall, temporary_password
from .roles import Role


def first_admin(login: str, name: str, hall_name: str) -> str:
    """Create the first admin (and the hall if none exists) with a one-time password."""
    if db.session.execute(select(User).where(User.login == login)).scalar():
        raise ValueError(f"login {login} already exists")
    hall = db.session.execute(select(Hall).order_by(Hall.id)).scalars().first()
    if hall is None:
        hall = add_hall(Hall(name=hall_name, level="county"))
    secret = temporary_password()
    user = User(hall_id=hall.id, name=name, login=login)
    user.set_roles([Role.ADMIN])
    passwords.set_password(user, secret, must_change=True)
    db.session.add(user)
    db.session.commit()
    return f"created {login} in {hall.name}; one-time password (change at first sign-in): {secret}"
