"""The inbox's query budget: its page and the center's overdue view read each source once, whatever waits."""
from datetime import date, datetime, timedelta

import pytest

from portal import clock
from portal.cases.models import CaseReport
from portal.complaints.models import Complaint, ComplaintStep
from portal.extensions import db
from portal.notices.models import PUBLISHED, Notice
from portal.org.models import Window
from portal.ratings.models import Rating, RatingCase
from portal.roles import Role
from tests.conftest import sign_in
from tests.querycount import count_queries

TUESDAY = datetime(2026, 12, 1, 10, 30)
# Statements of one page with every busy source waiting (the session and the sources' reads).
PAGE_STATEMENTS = 23
OVERDUE_STATEMENTS = 31


@pytest.fixture
def waiting(app, hall, make_user):
    """Return a function that adds n more of the busiest sources' items for the tax unit and its leader."""
    clock.freeze(TUESDAY)
    leader = make_user("lingdao", Role.WINDOW_LEADER, name="王局长")
    make_user("zhuren", Role.ADMIN, department="office")
    added = [0]

    def add(n: int) -> None:
        with app.app_context():
            window = db.session.query(Window).filter_by(number=1).one()
            now = clock.now()
            for i in range(added[0], added[0] + n):
                _add_one(i, hall, window, leader, now)
            db.session.commit()
        added[0] += n
    return add


def _add_one(i: int, hall: dict, window: Window, leader: int, now: datetime) -> None:
    """One overdue case, one overdue bad review, one complaint sent to the unit, one must-read notice."""
    db.session.add(CaseReport(hall_id=hall["hall"], key=f"k{i}", number=f"BJ{i:03d}", item_name="开具证明",
                              accepted_at=datetime(2026, 11, 2, 9, 0), promised_days=1, window_id=window.id,
                              clerk_id=leader))
    rating = Rating(hall_id=hall["hall"], department_id=hall["tax"], window_id=window.id if i % 2 else None,
                    level=5, rated_at=now - timedelta(days=3), day=date(2026, 11, 28))
    db.session.add(rating)
    db.session.flush()
    db.session.add(RatingCase(hall_id=hall["hall"], rating_id=rating.id, department_id=hall["tax"],
                              state="verify", due_at=now - timedelta(hours=i + 1)))
    case = Complaint(hall_id=hall["hall"], number=f"TS{i:03d}", query_code=f"q{i}", channel="window", kind="complaint",
                     text="窗口人员态度不好", received_at=now - timedelta(days=4), first_owner_id=leader, state="sent",
                     unit_id=hall["tax"], round_start=date(2026, 11, 27))
    db.session.add(case)
    db.session.flush()
    db.session.add(ComplaintStep(complaint_id=case.id, step="sent", at=now - timedelta(days=4), unit_id=hall["tax"]))
    db.session.add(Notice(hall_id=hall["hall"], title=f"必读通知{i}", author_id=leader, must_read=True,
                          state=PUBLISHED, publish_at=now - timedelta(days=5 + i % 3)))


def _queries(app, client, path: str, expect: str) -> int:
    client.get(path)
    with count_queries(app) as statements:
        html = client.get(path).get_data(as_text=True)
    assert expect in html
    return len(statements)


def test_the_inbox_page_reads_each_source_once_however_many_items_wait(app, client, waiting):
    app.config["RULEBOOK_CACHE_SECONDS"] = 60  # as served: the rulebook is read once per worker
    waiting(3)
    sign_in(client, "lingdao")
    few = _queries(app, client, "/inbox/", "BJ002")
    waiting(27)
    many = _queries(app, client, "/inbox/", "BJ029")
    html = client.get("/inbox/").get_data(as_text=True)
    assert html.count("办件已超期") == 30 and html.count("差评待核实") == 30 and html.count("投诉待签收") == 30
    assert html.count("必读公告待阅知") == 30
    assert many == few <= PAGE_STATEMENTS, (few, many)


def test_the_overdue_view_reads_each_source_once_for_the_whole_hall(app, client, make_user, waiting):
    app.config["RULEBOOK_CACHE_SECONDS"] = 60
    waiting(3)
    sign_in(client, "zhuren")
    few = _queries(app, client, "/inbox/overdue", "BJ002")
    for n in range(10):  # more people, each with their own must-read notices to acknowledge
        make_user(f"clerk{n}", Role.STAFF, name=f"办事员{n}")
    waiting(27)
    many = _queries(app, client, "/inbox/overdue", "BJ029")
    assert many == few <= OVERDUE_STATEMENTS, (few, many)
