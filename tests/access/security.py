"""Access to the security capability's routes: revealing masked personal data."""
from portal.roles import Role

ROUTES = {
    # The view is open to everyone signed in; the field registry lets only admins reveal a phone number.
    "privacy.reveal": ({Role.ADMIN}, {"key": "pii_key", "obj_id": "person"}),
}


def seed(ids):
    ids["pii_key"] = "user.phone"
