"""View helpers shared by the patrol pages: who may do what, and answers after a one-button post."""
from ..forms import confirmed  # noqa: F401  (re-exported: the patrol views import it from here)
from ..htmx import go  # noqa: F401  (re-exported)
from ..roles import Role

PATROLLERS = (Role.DUTY_LEADER, Role.GENERAL_DUTY, Role.SUPERVISOR)
READERS = PATROLLERS + (Role.ADMIN,)
EDITORS = (Role.ADMIN, Role.SUPERVISOR)
