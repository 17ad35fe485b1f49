"""The county's league table: each station's month against hand-counted figures, queries flat in the halls."""
from datetime import UTC, date, datetime

import pytest

from portal.auth import passwords
from portal.auth.models import User
from portal.county import league
from portal.extensions import db
from portal.org import service as org
from portal.org.models import Department, Hall, Window
from portal.patrol.models import (
    ChecklistItem,
    ChecklistTemplate,
    PatrolFinding,
    PatrolFindingVoid,
    PatrolRound,
    PatrolVisit,
)
from portal.ratings.models import Rating, RatingCase
from portal.roles import Role
from portal.scores.models import ScoreEvent
from tests.conftest import PASSWORD, sign_in
from tests.querycount import count_queries

AT = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)
DAY = date(2026, 11, 10)


def _station(name, parent_id):
    hall = org.add_hall(Hall(name=name, level="township", parent_id=parent_id))
    dept = Department(hall_id=hall.id, name="综合窗口")
    db.session.add(dept)
    db.session.flush()
    window = Window(hall_id=hall.id, number=1, name="综合受理", department_id=dept.id)
    person = User(hall_id=hall.id, name=f"{name}工作人员", login=f"s{hall.id}")
    db.session.add_all([window, person])
    db.session.flush()
    return hall, dept, window, person


def _findings(hall, dept, window, person, count, voided=0, day=DAY):
    template = db.session.query(ChecklistTemplate).filter_by(hall_id=hall.id).first()
    item = db.session.query(ChecklistItem).filter_by(template_id=template.id).first()
    patrol = PatrolRound(hall_id=hall.id, patroller_id=person.id, template_id=template.id, day=day,
                         started_at=AT, finished_at=AT)
    db.session.add(patrol)
    db.session.flush()
    visit = PatrolVisit(round_id=patrol.id, hall_id=hall.id, window_id=window.id, department_id=dept.id,
                        by_id=person.id, at=AT, day=day, outcome="findings")
    db.session.add(visit)
    db.session.flush()
    for n in range(count):
        finding = PatrolFinding(visit_id=visit.id, item_id=item.id, person_id=person.id, department_id=dept.id,
                                label=item.label, section=item.section, person_centi=-50, unit_centi=-20)
        db.session.add(finding)
        db.session.flush()
        if n < voided:
            db.session.add(PatrolFindingVoid(finding_id=finding.id, reason="申诉成立", by_id=person.id, at=AT))


def _event(hall, person, centi, day=DAY, key=None, source="patrol", evidence=""):
    event = ScoreEvent(hall_id=hall.id, subject_user_id=person.id, centipoints=centi, rule="测试", source=source,
                       day=day, recorded_at=AT, dedupe_key=key, evidence=evidence)
    db.session.add(event)
    db.session.flush()
    return event


def _void(event):
    db.session.add(ScoreEvent(hall_id=event.hall_id, subject_user_id=event.subject_user_id,
                              centipoints=-event.centipoints, rule="撤销", source=event.source, day=event.day,
                              recorded_at=AT, reverses_id=event.id))


def _ratings(hall, dept, levels, voided_bad=0, day=DAY):
    for n, level in enumerate(levels):
        rating = Rating(hall_id=hall.id, channel="online", key=f"t-{hall.id}-{day}-{n}", department_id=dept.id,
                        level=level, rated_at=AT, day=day)
        db.session.add(rating)
        db.session.flush()
        if level >= 4:
            state = "void" if voided_bad > 0 else "verify"
            voided_bad -= 1
            db.session.add(RatingCase(hall_id=hall.id, rating_id=rating.id, department_id=dept.id, state=state))


def _attendance(hall, person, day=DAY):
    """Two late/early charges (one voided later), one overrun, two absent halves, one 补记 next month."""
    base = f"attendance:{person.id}:{day}"
    _event(hall, person, -100, key=f"{base}:am:late:person", source="attendance")
    _event(hall, person, -100, key=f"{base}:am:late:unit", source="attendance")  # the unit's: not a person's
    _void(_event(hall, person, -100, key=f"{base}:pm:early:person", source="attendance"))
    _event(hall, person, -100, key=f"attendance:leave:9{hall.id}:overrun:person", source="attendance")
    _event(hall, person, -250, key=f"{base}:am:absent:person", source="attendance")
    _event(hall, person, -250, key=f"{base}:pm:absent:person", source="attendance")
    _event(hall, person, -100, key=f"attendance-adjust:attendance:{person.id}:2026-10-30:am:late:person",
           source="attendance")


def _overdue(hall, person, case_id, days):
    for n in range(days):
        _event(hall, person, -400, day=date(2026, 11, 2 + n), key=f"complaint-overdue:{case_id}:1:{n}",
               source="complaint", evidence=f"complaint:{case_id}")


@pytest.fixture
def county(app, hall):
    with app.app_context():
        east = _station("东街便民服务站", hall["hall"])
        west = _station("西街便民服务站", hall["hall"])
        _findings(*east, count=3, voided=1)
        _findings(*west, count=1)
        _findings(*west, count=4, day=date(2026, 10, 30))  # another month
        _event(east[0], east[3], -50)
        _event(east[0], east[3], -30)
        _event(east[0], east[3], 30)  # a reversal
        _event(west[0], west[3], 100)
        _ratings(east[0], east[1], [1, 2, 3, 4, 5, 5], voided_bad=1)
        _ratings(west[0], west[1], [2, 2])
        _ratings(west[0], west[1], [5], day=date(2026, 10, 30))
        _attendance(east[0], east[3])
        _overdue(west[0], west[3], 7001, 3)
        _overdue(west[0], west[3], 7002, 1)
        supervisor = User(hall_id=hall["hall"], name="县督查", login="xianducha-t")
        supervisor.set_roles([Role.COUNTY_SUPERVISOR])
        passwords.set_password(supervisor, PASSWORD, must_change=False)
        db.session.add(supervisor)
        db.session.commit()
        return {"east": east[0].id, "west": west[0].id, "county": hall["hall"]}


def _row(page, hall_id):
    start = page.index(f'id="league-hall-{hall_id}"')
    row = page[start:page.index("</tr>", start)]
    import re
    return [c.strip() for c in re.findall(r'<td class="num">([^<]*)</td>', row)]


def test_the_county_supervisors_league_table_matches_hand_counted_figures(app, client, county):
    assert sign_in(client, "xianducha-t").status_code == 302
    page = client.get("/county/league?month=2026-11").get_data(as_text=True)
    # patrol: rounds, findings (not voided), their points; ratings: rated, good rate, bad; attendance:
    # late/early/overrun, absent halves; complaints overdue: cases, working days; ledger: events, net
    # east: 6 ratings, one bad voided on appeal -> 5 counted, 3 good (60%), 2 bad; attendance: late + overrun
    # + 补记 (the voided early leave is out), two absent halves; 3 + 8 ledger rows (the void is one of them)
    assert _row(page, county["east"]) == ["1", "2", "-1.40", "5", "60.0%", "2", "3", "2", "0", "0", "11", "-9.50"]
    # west: two good ratings this month (October's bad one is not), two complaints overdue on 3 + 1 days
    assert _row(page, county["west"]) == ["1", "1", "-0.70", "2", "100.0%", "0", "0", "0", "2", "4", "5", "-15.00"]
    assert _row(page, county["county"]) == ["0", "0", "0.00", "0", "—", "0", "0", "0", "0", "0", "0", "0.00"]
    assert "考核总分" not in page  # no assessment kept yet: no empty column
    october = client.get("/county/league?month=2026-10").get_data(as_text=True)
    assert _row(october, county["west"])[:6] == ["1", "4", "-2.80", "1", "0.0%", "1"]


def test_the_league_table_shows_assessment_totals_once_the_assessment_offers_them(app, client, county,
                                                                                   monkeypatch):
    monkeypatch.setattr(league, "assessment_totals", lambda ids, y, m: {county["east"]: 96.5})
    sign_in(client, "xianducha-t")
    page = client.get("/county/league?month=2026-11").get_data(as_text=True)
    assert "考核总分" in page
    assert _row(page, county["east"])[-1] == "96.50" and _row(page, county["west"])[-1] == "—"


def test_the_league_table_shows_each_stations_published_assessment_as_its_units_mean(app, client, county):
    from portal.assessment.models import AssessmentMonth, AssessmentSheet
    with app.app_context():
        east = db.session.get(Hall, county["east"])
        units = []
        for n, total in enumerate((9650, 10050)):
            dept = Department(hall_id=east.id, name=f"考核单位{n}")
            db.session.add(dept)
            units.append((dept, total))
        draft = AssessmentMonth(hall_id=county["west"], year=2026, month=11, state="draft")
        month = AssessmentMonth(hall_id=east.id, year=2026, month=11, state="published")
        db.session.add_all([draft, month])
        db.session.flush()
        for rank, (dept, total) in enumerate(units, 1):
            db.session.add(AssessmentSheet(month_id=month.id, department_id=dept.id, base_centi=10000,
                                           cap_centi=11000, total_centi=total, rank=rank))
        person = db.session.execute(db.select(User).where(User.hall_id == east.id)).scalars().first()
        db.session.add(AssessmentSheet(month_id=month.id, department_id=units[0][0].id, user_id=person.id,
                                       base_centi=10000, cap_centi=11000, total_centi=5000, rank=1))  # a person's
        db.session.commit()
    sign_in(client, "xianducha-t")
    page = client.get("/county/league?month=2026-11").get_data(as_text=True)
    assert "考核总分" in page
    assert _row(page, county["east"])[-1] == "98.50" and _row(page, county["west"])[-1] == "—"


def test_the_league_tables_query_count_is_flat_in_the_number_of_halls(app, client, county):
    sign_in(client, "xianducha-t")

    def queries():
        client.get("/county/league?month=2026-11")
        with count_queries(app) as seen:
            assert client.get("/county/league?month=2026-11").status_code == 200
        return len(seen)

    two = queries()  # the county and its two stations
    with app.app_context():
        for n in range(7):
            station = _station(f"第{n}便民服务站", county["county"])
            _findings(*station, count=2)
            _event(station[0], station[3], -10)
            _ratings(station[0], station[1], [1, 5])
            _attendance(station[0], station[3])
            _overdue(station[0], station[3], 8000 + n, 2)
        db.session.commit()
    assert queries() == two  # ten halls: as many queries as with three
    with app.test_request_context("/"):
        halls = db.session.query(Hall).order_by(Hall.id).all()
        assert len(halls) == 10
        league.table(halls[:2], 2026, 11)  # the rulebook's one read, made by every request anyway
        counts = []
        for some in (halls[:2], halls):
            with count_queries(app) as seen:
                league.table(some, 2026, 11)
            counts.append(len(seen))
        assert counts[0] == counts[1]  # two halls and ten: the same statements


def test_a_station_admin_cannot_open_the_league_table(app, client, make_user):
    make_user("zhan", Role.ADMIN)
    sign_in(client, "zhan")
    assert client.get("/county/league").status_code == 403
