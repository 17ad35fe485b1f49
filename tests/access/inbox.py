"""Access to the to-do inbox (待办): everyone signed in has one; the center sees the hall's overdue items."""
from portal.roles import Role

ROUTES = {
    "inbox.index": ("signed_in", {}),
    "inbox.bar": ("signed_in", {}),
    "inbox.go": ("signed_in", {"key": "inbox_key"}),
    "inbox.overdue": ({Role.ADMIN, Role.GENERAL_DUTY}, {}),
    "inbox.desk": ({Role.DUTY_LEADER, Role.GENERAL_DUTY, Role.ADMIN}, {}),
}


def seed(ids):
    # An item key nobody here owns: every role is refused it (404), which the matrix counts as reached.
    ids.update(inbox_key="duty.handover:duty_handover:999999")
