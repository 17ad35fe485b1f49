"""Access to the leader sit-in pages (领导坐班)."""
from portal.roles import Role

VIEWERS = {Role.ADMIN, Role.WINDOW_LEADER, Role.DUTY_LEADER, Role.GENERAL_DUTY, Role.SUPERVISOR}
BOOKERS = {Role.ADMIN, Role.WINDOW_LEADER}
DESK = {Role.DUTY_LEADER, Role.GENERAL_DUTY, Role.ADMIN}

ROUTES = {
    "sitin.week": (VIEWERS, {}),
    "sitin.book": (BOOKERS, {}),
    "sitin.cancel": (BOOKERS, {"booking_id": "sitin_booking"}),
    "sitin.department": (BOOKERS, {}),
    "sitin.calendar_token": (BOOKERS, {}),
    "sitin.ics_feed": ("public", {"token": "sitin_token"}),
    "sitin.today": (DESK, {}),
    "sitin.check": (DESK, {"booking_id": "sitin_booking", "outcome": "sitin_outcome"}),
    "sitin.note": (BOOKERS, {"visit_id": "sitin_visit"}),
    "sitin.register": ({Role.ADMIN, Role.SUPERVISOR, Role.GENERAL_DUTY}, {}),
    "sitin.bulletin": ({Role.ADMIN, Role.SUPERVISOR}, {}),
    "sitin.post_bulletin": ({Role.ADMIN, Role.SUPERVISOR}, {}),
}


def seed(ids):
    from datetime import timedelta

    from portal import clock
    from portal.auth.models import User
    from portal.extensions import db
    from portal.sitin.models import SitInBooking, SitInVisit
    target = db.session.get(User, ids["person"])
    target.calendar_token = "matrix-calendar-token-0123456789"
    today, moment = clock.today(), clock.now()
    booking = SitInBooking(hall_id=ids["hall"], department_id=ids["dept"], booked_by_id=target.id,
                           day=today + timedelta(days=7), half="am", desk_no=1, filed_at=moment)
    visit = SitInVisit(hall_id=ids["hall"], department_id=ids["dept"], day=today - timedelta(days=1),
                       attendance="arrived", arrived_at=moment, checked_by_id=target.id, checked_at=moment)
    db.session.add_all([booking, visit])
    db.session.commit()
    ids.update(sitin_booking=booking.id, sitin_visit=visit.id, sitin_token=target.calendar_token,
               sitin_outcome="arrived")
