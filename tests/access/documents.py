"""Access to the document numbers page (发文字号): the hall's admin only."""
from portal.roles import Role

ROUTES = {
    "documents.settings": ({Role.ADMIN}, {}),
    "documents.save": ({Role.ADMIN}, {}),
}
