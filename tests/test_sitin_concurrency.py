"""Twenty leaders race for the last free desk of a half day: exactly one gets it, never over-booked."""
import threading

from portal.auth.models import User
from portal.extensions import db
from portal.rulebook import service as rules
from portal.sitin import booking
from portal.sitin.models import SitInBooking
from tests.conftest import csrf_from, sign_in
from tests.sitin_fixtures import NEXT_TUESDAY, add_units, frozen  # noqa: F401 - pytest fixtures

RACERS = 20


def _race(workers):
    """Start every worker at the same moment and collect what each returned."""
    gate, results = threading.Barrier(len(workers)), [None] * len(workers)

    def run(i, work):
        gate.wait()
        results[i] = work()
    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def _fill_all_but_one(app, add_units):
    with app.app_context():
        desks = rules.get("sitin.desks_per_half_day")
    for uid in add_units(desks - 1, "先到"):
        with app.app_context():
            booking.book(db.session.get(User, uid), None, NEXT_TUESDAY, "am")
    return desks


def _stored(app):
    with app.app_context():
        return db.session.query(SitInBooking).filter_by(day=NEXT_TUESDAY, half="am", state="active").all()


def test_twenty_leaders_booking_the_last_desk_through_the_service_get_it_once(app, frozen, add_units):
    desks = _fill_all_but_one(app, add_units)
    racers = add_units(RACERS, "抢")

    def attempt(uid):
        def work():
            with app.app_context():
                try:
                    booking.book(db.session.get(User, uid), None, NEXT_TUESDAY, "am")
                    return "ok"
                except booking.SitInError as error:
                    return error.message
        return work
    results = _race([attempt(uid) for uid in racers])
    assert results.count("ok") == 1, results
    assert all("席位已满" in r for r in results if r != "ok"), results
    rows = _stored(app)
    assert len(rows) == desks and sorted(r.desk_no for r in rows) == list(range(1, desks + 1))


def test_twenty_leaders_posting_the_last_desk_at_once_get_one_booking_and_clear_refusals(app, frozen, add_units):
    desks = _fill_all_but_one(app, add_units)
    racers = add_units(RACERS, "抢")
    clients = []
    for i in range(len(racers)):
        client = app.test_client()
        assert sign_in(client, f"抢-leader-{i}").status_code == 302
        clients.append((client, csrf_from(client.get("/sitin/week").get_data(as_text=True))))

    def attempt(client, csrf):
        def work():
            r = client.post("/sitin/book", data={"csrf_token": csrf, "day": NEXT_TUESDAY.isoformat(), "half": "am"},
                            headers={"HX-Request": "true", "HX-Target": "sitin-week"})
            return r.status_code, r.get_data(as_text=True)
        return work
    results = _race([attempt(c, t) for c, t in clients])
    assert sorted(code for code, _ in results) == [200] + [409] * (RACERS - 1)
    assert all("席位已满" in body for code, body in results if code == 409)
    assert len(_stored(app)) == desks
