"""View helpers shared by the patrol pages: answers after a one-button post (now in the shared layer)."""
from ..forms import confirmed  # noqa: F401  (re-exported: the patrol views import it from here)
from ..htmx import go  # noqa: F401  (re-exported)
