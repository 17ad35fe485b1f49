"""Access to the foundation's routes: sign-in, home, admin pages, audit log."""
from portal.roles import Role

ADMIN = {Role.ADMIN}
AUDITOR = {Role.AUDITOR}

ROUTES = {
    "auth.login": ("public", {}),
    "auth.logout": ("signed_in", {}),
    "auth.change_password": ("signed_in", {}),
    "home.index": ("signed_in", {}),
    "home.healthz": ("public", {}),
    "org.index": (ADMIN, {}),
    "org.windows": (ADMIN, {}),
    "org.window_new": (ADMIN, {}),
    "org.window_edit": (ADMIN, {"window_id": "window"}),
    "org.window_toggle": (ADMIN, {"window_id": "window"}),
    "org.departments": (ADMIN, {}),
    "org.department_new": (ADMIN, {}),
    "org.department_edit": (ADMIN, {"dept_id": "dept"}),
    "org.department_toggle": (ADMIN, {"dept_id": "dept"}),
    "org.halls": (ADMIN, {}),
    "org.hall_new": (ADMIN, {}),
    "org.hall_edit": (ADMIN, {"hall_id": "hall"}),
    "org.roster_pdf": (ADMIN, {}),
    "org.people": (ADMIN, {}),
    "org.person_new": (ADMIN, {}),
    "org.person_edit": (ADMIN, {"person_id": "person"}),
    "org.person_toggle": (ADMIN, {"person_id": "person"}),
    "org.person_reset": (ADMIN, {"person_id": "person"}),
    "org.person_unlock": (ADMIN, {"person_id": "person"}),
    "org.person_end_sessions": (ADMIN, {"person_id": "person"}),
    "rulebook.settings": (ADMIN, {}),
    "rulebook.setting_edit": (ADMIN, {"key": "rule_key"}),
    "rulebook.setting_open": (ADMIN, {"key": "rule_key"}),
    "rulebook.history": (ADMIN, {}),
    "rulebook.calendar_view": (ADMIN, {}),
    "rulebook.calendar_add": (ADMIN, {}),
    "rulebook.calendar_remove": (ADMIN, {"day_id": "calendar_day"}),
    "rulebook.calendar_remove_own": (ADMIN, {"day_id": "hall_calendar_day"}),
    "rulebook.calendar_import": (ADMIN, {"year": "year"}),
    "rulebook.calendar_entered": (ADMIN, {"year": "year"}),
    "audit.index": (AUDITOR, {}),
    "audit.verify": (AUDITOR, {}),
    "audit.export": (AUDITOR, {}),
}


def seed(ids):
    from datetime import date

    from portal.extensions import db
    from portal.rulebook.models import CalendarDay, HallCalendarDay
    day = CalendarDay(day=date(2026, 12, 31), kind="closure", name="测试闭厅")
    own = HallCalendarDay(hall_id=ids["hall"], day=date(2026, 12, 30), kind="closure", name="本站测试闭厅")
    db.session.add_all([day, own])
    db.session.commit()
    ids.update(calendar_day=day.id, hall_calendar_day=own.id, rule_key="patrol.per_day", year=2026)
