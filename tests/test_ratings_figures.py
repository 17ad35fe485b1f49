"""The month's figures against a hand-counted sample, the 公示 PDF on the board, the trend chart."""
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from portal import clock
from portal.auth.models import User
from portal.extensions import db
from portal.org.models import Window
from portal.ratings import cases, figures
from portal.ratings.models import Invitation, Rating
from tests.ratings_fixtures import csrf_of, frozen, people, signed_in  # noqa: F401 - fixtures

DEC = (datetime(2026, 12, 1).date(), datetime(2027, 1, 1).date())


def _visit(window, staff_id, day, level=None, phone=""):
    at = datetime.combine(day, datetime.min.time(), tzinfo=clock.hall_tz()) + timedelta(hours=9)
    inv = Invitation(hall_id=window.hall_id, window_id=window.id, department_id=window.department_id,
                     staff_id=staff_id, invited_at=at, expires_at=at + timedelta(minutes=2), day=day)
    db.session.add(inv)
    db.session.flush()
    if level is None:
        return None
    rating = Rating(hall_id=window.hall_id, invitation_id=inv.id, window_id=window.id,
                    department_id=window.department_id, staff_id=staff_id, level=level, rated_at=at, day=day,
                    rater_phone=phone)
    db.session.add(rating)
    db.session.flush()
    return cases.open_case(rating) if level >= 4 else None


@pytest.fixture
def sample(app, frozen, people, make_user):
    """Window 1: 非常满意, 满意, 基本满意, 不满意 (named, closed), 非常不满意 (open), one unrated; window 2:
    满意, 不满意 voided on appeal, one unrated; and one November visit that December must not count."""
    other = make_user("a2", name="王二", department="police")
    with app.app_context():
        admin = db.session.get(User, people["admin"])
        w1, w2 = (db.session.query(Window).filter_by(number=n).one() for n in (1, 2))
        day = clock.today()
        for level in (1, 2, 3):
            _visit(w1, people["clerk"], day, level)
        named = _visit(w1, people["clerk"], day, 4, "13812345678")
        for step, arg in ((cases.verify, "属实"), (cases.classify, "fix_now"), (cases.rectify, "已改"),
                          (cases.callback, "已回访")):
            step(admin, named, arg)
        _visit(w1, people["clerk"], day, 5)
        _visit(w1, people["clerk"], day)
        _visit(w2, other, day, 2)
        voided = _visit(w2, other, day, 4)
        cases.appeal(admin, voided, "误评")
        cases.decide(admin, voided, True, "属误评")
        _visit(w2, other, day)
        _visit(w1, people["clerk"], day - timedelta(days=5), 5)  # 26 November
        db.session.commit()
        return {"w1": "1号 税务综合窗口", "w2": "2号 户籍窗口"}


def _row(rows, name):
    return next(t for n, t in rows if n == name)


def test_the_months_figures_match_the_hand_count(app, sample):
    with app.app_context():
        found = figures.month(1, *DEC)
    w1, w2, total = _row(found.by_window, sample["w1"]), _row(found.by_window, sample["w2"]), found.total
    assert (w1.visits, w1.ratings, w1.good, w1.bad, w1.unrated) == (6, 5, 3, 2, 1)
    assert (w1.good_rate, w1.bad_rate, w1.evaluation_rate) == (60.0, 40.0, 83.3)
    assert (w1.rectification_rate, w1.callback_rate) == (50.0, 100.0)
    assert (w2.visits, w2.ratings, w2.good, w2.bad, w2.unrated) == (2, 1, 1, 0, 1)  # the void review is left out
    assert (w2.good_rate, w2.evaluation_rate, w2.rectification_rate) == (100.0, 50.0, None)
    assert (total.visits, total.ratings, total.good, total.bad, total.unrated) == (8, 6, 4, 2, 2)
    assert (total.good_rate, total.evaluation_rate) == (66.7, 75.0)
    assert [n for n, _t in found.by_department] == ["税务局", "公安局户政"]
    assert _row(found.by_staff, "张小明").visits == 6


def test_the_unrated_rule_counts_no_rating_as_satisfied_only_when_the_rulebook_says(app, sample, people):
    from portal.rulebook import service as rules
    with app.app_context():
        assert figures.month(1, *DEC).total.unrated == 2
        assert rules.change("evaluation.unrated_counts_as_satisfied", "1", db.session.get(User, people["admin"])) \
            is None
        total = figures.month(1, *DEC).total
    assert (total.unrated, total.good, total.ratings, total.evaluation_rate) == (0, 6, 8, 100.0)


def test_the_figures_page_shows_the_month_and_its_query_count_does_not_grow(app, sample, people):
    from tests.querycount import count_queries
    admin = signed_in(app, "center")
    admin.get("/ratings/?month=2026-12")
    with count_queries(app) as before:
        page = admin.get("/ratings/?month=2026-12").get_data(as_text=True)
    assert "66.7%" in page and "税务局" in page
    with app.app_context():
        w1 = db.session.query(Window).filter_by(number=1).one()
        for level in (1, 2, 4, 5) * 5:
            _visit(w1, people["clerk"], clock.today(), level, "13800000000")
        db.session.commit()
    with count_queries(app) as after:
        admin.get("/ratings/?month=2026-12")
    assert len(after) == len(before)


def test_the_trend_chart_is_an_svg_drawn_on_the_server(app, sample):
    answer = signed_in(app, "center").get("/ratings/trend.svg?month=2026-12")
    svg = answer.get_data(as_text=True)
    assert answer.mimetype == "image/svg+xml" and svg.startswith("<svg") and 'id="trend-good"' in svg
    assert "12月" in svg and "<script" not in svg


def test_the_publicity_is_posted_to_the_board_with_its_numbered_pdf(app, sample):
    from portal.documents.models import IssuedDocument
    from portal.notices.models import Notice
    admin = signed_in(app, "center")
    pdf = admin.get("/ratings/figures.pdf?month=2026-12")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    csrf = csrf_of(admin.get("/ratings/?month=2026-12").get_data(as_text=True))
    posted = admin.post("/ratings/figures/post?month=2026-12", data={"csrf_token": csrf})
    assert posted.status_code == 303
    with app.app_context():
        notice = db.session.execute(select(Notice)).scalar_one()
        issued = db.session.execute(select(IssuedDocument)).scalar_one()
        assert notice.title == "2026年12月政务服务好差评情况公示" and issued.kind == "publicity"
        assert issued.notice_id == notice.id
