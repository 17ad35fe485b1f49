"""Points of cases: an overdue case costs the unit and the clerk once; corrections reverse; fast cases earn."""
from sqlalchemy import select

from portal.auth.models import User
from portal.cases import figures, service
from portal.extensions import db
from portal.rulebook import service as rules
from portal.scores.models import ScoreEvent
from tests.cases_fixtures import clerks, export, frozen, imported, row  # noqa: F401

LATE = row("BJ100", "2026-12-07 09:00", 2)  # due Wednesday the 9th; Friday the 11th it is 2 days overdue


def _events(app):
    with app.app_context():
        return [(e.subject_user_id, e.department_id, e.centipoints, e.reverses_id is not None)
                for e in db.session.execute(select(ScoreEvent).where(ScoreEvent.source == "case")
                                            .order_by(ScoreEvent.id)).scalars()]


def test_an_overdue_case_costs_unit_and_clerk_once_however_often_reimported(app, hall, frozen, imported, clerks):
    imported(export(LATE))
    imported(export(LATE))
    imported(export(LATE, row("BJ101", "2026-12-10 09:00", 5)))
    with app.app_context():
        service.sweep(hall["hall"])
    assert _events(app) == [(None, hall["tax"], -500, False), (clerks["zhang"], hall["tax"], -200, False)]


def test_a_corrected_export_showing_the_case_closed_in_time_reverses_its_events(app, hall, frozen, imported,
                                                                              clerks):
    imported(export(LATE))
    imported(export(row("BJ100", "2026-12-07 09:00", 2, finished="2026-12-09 16:00")))
    got = _events(app)
    assert [c for *_, c, _r in got] == [-500, -200, 500, 200]
    assert [r for *_, r in got] == [False, False, True, True]
    imported(export(row("BJ100", "2026-12-07 09:00", 2, finished="2026-12-09 16:00")))
    assert len(_events(app)) == 4


def test_a_promised_case_finished_on_the_spot_earns_the_instant_bonus(app, hall, frozen, imported):
    imported(export(row("BJ200", "2026-12-07 09:00", 5, finished="2026-12-07 11:30")))
    assert _events(app) == [(None, hall["tax"], rules_points(app, "unit_points.bonus_instant_case"), False)]


def test_the_early_finish_bonus_is_the_rulebook_s_and_none_when_it_is_zero(app, hall, frozen, imported, clerks):
    imported(export(row("BJ300", "2026-12-07 09:00", 5, finished="2026-12-08 11:30")))
    assert _events(app) == []
    with app.app_context():
        rules.change("unit_points.bonus_early_case", "1", db.session.get(User, clerks["admin"]), "试行")
    imported(export(row("BJ301", "2026-12-07 09:00", 5, finished="2026-12-08 11:30")))
    assert _events(app) == [(None, hall["tax"], 100, False)]


def test_the_year_s_overdue_count_per_person_counts_each_overdue_case_once(app, hall, frozen, imported, clerks):
    imported(export(LATE, row("BJ101", "2026-12-01 09:00", 1, finished="2026-12-04 10:00"),
                    row("BJ102", "2026-12-07 09:00", 5), row("BJ103", "2026-12-01 09:00", 1, clerk="李四",
                                                              window="2", finished="2026-12-02 10:00")))
    imported(export(LATE))
    with app.app_context():
        assert figures.overdue_count(hall["hall"], clerks["zhang"], 2026) == 2
        assert figures.overdue_count(hall["hall"], clerks["li"], 2026) == 0
        assert figures.overdue_count(hall["hall"], clerks["zhang"], 2027) == 0


def rules_points(app, key):
    with app.app_context():
        return int(rules.get(key) * 100)


def test_a_case_corrected_to_in_time_and_later_overdue_again_is_charged_again(app, hall, frozen, imported, clerks):
    imported(export(LATE))
    imported(export(row("BJ100", "2026-12-07 09:00", 2, finished="2026-12-09 16:00")))  # corrected: in time
    imported(export(row("BJ100", "2026-12-07 09:00", 2, finished="2026-12-10 16:00")))  # corrected again: late
    got = _events(app)
    assert [c for *_, c, _r in got] == [-500, -200, 500, 200, -500, -200]
    imported(export(row("BJ100", "2026-12-07 09:00", 2, finished="2026-12-10 16:00")))
    with app.app_context():
        service.sweep(hall["hall"])
        assert figures.overdue_count(hall["hall"], clerks["zhang"], 2026) == 1
    assert len(_events(app)) == 6  # standing again: re-imports and sweeps add nothing
