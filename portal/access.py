"""Access markers for views; the guard in portal.auth enforces them on every request."""
from .roles import Role

PUBLIC = "public"
SIGNED_IN = "signed_in"


def roles(*allowed: Role):
    """Allow a view to people holding any of these roles."""
    def mark(view):
        view.access = frozenset(Role(r) for r in allowed)
        return view
    return mark


def public(view):
    """Allow a view to anyone, signed in or not."""
    view.access = PUBLIC
    return view


def signed_in(view):
    """Allow a view to anyone signed in, whatever their roles."""
    view.access = SIGNED_IN
    return view


def access_of(view):
    """Return a view's access marker, or None when it declares none (and is refused)."""
    return getattr(view, "access", None)
