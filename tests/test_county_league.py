"""The county's league table: each station's month against hand-counted figures, queries flat in the halls."""
from datetime import UTC, date, datetime

import pytest

from portal.auth import passwords
from portal.auth.models import User
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


def _event(hall, person, centi, day=DAY):
    db.session.add(ScoreEvent(hall_id=hall.id, subject_user_id=person.id, centipoints=centi, rule="测试",
                              source="patrol", day=day, recorded_at=AT))


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
    # rounds, findings (not voided), their points, ledger events, minus, plus, net
    assert _row(page, county["east"]) == ["1", "2", "-1.40", "3", "-0.80", "0.30", "-0.50"]
    assert _row(page, county["west"]) == ["1", "1", "-0.70", "1", "0.00", "1.00", "1.00"]
    assert _row(page, county["county"]) == ["0", "0", "0.00", "0", "0.00", "0.00", "0.00"]
    october = client.get("/county/league?month=2026-10").get_data(as_text=True)
    assert _row(october, county["west"])[:2] == ["1", "4"]


def test_the_league_tables_query_count_is_flat_in_the_number_of_halls(app, client, county):
    sign_in(client, "xianducha-t")

    def queries():
        client.get("/county/league?month=2026-11")
        with count_queries(app) as seen:
            assert client.get("/county/league?month=2026-11").status_code == 200
        return len(seen)

    before = queries()
    with app.app_context():
        for n in range(4):
            station = _station(f"第{n}便民服务站", county["county"])
            _findings(*station, count=2)
            _event(station[0], station[3], -10)
        db.session.commit()
    assert queries() == before


def test_a_station_admin_cannot_open_the_league_table(app, client, make_user):
    make_user("zhan", Role.ADMIN)
    sign_in(client, "zhan")
    assert client.get("/county/league").status_code == 403
