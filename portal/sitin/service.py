"""What other capabilities call of the leader sit-in (领导坐班): the desk, the hall screen, the home page."""
from .booking import SitInError
from .checkin import expected_on
from .register import noncompliant_departments
from .weekview import leader_panel

__all__ = ["SitInError", "expected_on", "leader_panel", "noncompliant_departments"]
