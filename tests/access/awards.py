"""Access to the red flags and awards (流动红旗, 优秀) and the feedback and year's report of the assessment."""
from portal.roles import Role

READERS = {r for r in Role if r != Role.AUDITOR}
LEDGER_ALL = {Role.ADMIN, Role.SUPERVISOR, Role.GENERAL_DUTY}
DESK = {Role.DUTY_LEADER, Role.GENERAL_DUTY, Role.ADMIN}

ROUTES = {
    "assessment.awards": (LEDGER_ALL, {}),
    "assessment.awards_award": ({Role.ADMIN}, {}),
    "assessment.awards_vote": (DESK, {}),  # whether one may vote is the month's roster's to say (409)
    "assessment.awards_flags": (READERS, {}),
    "assessment.awards_weights": ({Role.ADMIN}, {}),
    "assessment.feedback_page": (LEDGER_ALL | {Role.WINDOW_LEADER}, {}),
    "assessment.feedback_pdf": (LEDGER_ALL | {Role.WINDOW_LEADER}, {}),
    "assessment.year_report": (LEDGER_ALL, {}),
    "assessment.year_report_pdf": (LEDGER_ALL, {}),
}
