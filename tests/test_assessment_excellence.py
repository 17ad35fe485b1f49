"""优秀 and 服务标兵: the quota of the staff, a tie at its border, and each rule that excludes a person."""
from datetime import datetime

from portal import clock
from portal.assessment import excellence
from portal.auth.models import User
from portal.complaints import handling, service
from portal.extensions import db
from portal.roles import Role
from portal.rulebook import service as rules
from portal.scores import service as scores
from tests.assessment_fixtures import NOV, frozen, staff  # noqa: F401
from tests.cases_fixtures import clerks as clerks  # noqa: F401
from tests.cases_fixtures import export, imported, row  # noqa: F401
from tests.complaints_fixtures import new_case, people  # noqa: F401


def _bonus(app, user_id, points):
    with app.app_context():
        scores.record(db.session.get(User, user_id), points=points, rule="表扬", source="manual", day=NOV)
        db.session.commit()


def _grading(app, hall):
    with app.app_context():
        return excellence.month(hall["hall"], 2026, 11)


def _set(app, admin_id, key, value):
    with app.app_context():
        assert rules.change(key, str(value), db.session.get(User, admin_id)) is None


def test_excellent_grade_goes_to_at_most_fifteen_percent_and_twenty_where_the_center_allows(app, hall, staff,
                                                                                           make_user, frozen):
    clerks = [make_user(f"c{i}", Role.STAFF, name=f"员工{i}") for i in range(7)]  # ten with a sheet in all
    for n, uid in enumerate(clerks, start=1):
        _bonus(app, uid, n)
    graded = _grading(app, hall)
    assert graded.share == 15 and graded.quota == 1
    assert [p.sheet.name for p in graded.excellent] == ["员工6"] and graded.excellent[0].star
    _set(app, staff["admin"], "assessment.outstanding_results", 1)
    graded = _grading(app, hall)
    assert graded.share == 20 and graded.quota == 2
    assert [p.sheet.name for p in graded.excellent] == ["员工6", "员工5"]


def test_a_tie_at_the_border_of_the_quota_leaves_the_tied_out(app, hall, staff, make_user, frozen):
    clerks = [make_user(f"c{i}", Role.STAFF, name=f"员工{i}") for i in range(7)]
    _set(app, staff["admin"], "assessment.outstanding_results", 1)  # two places among ten
    _bonus(app, clerks[0], 5)
    _bonus(app, clerks[1], 3)
    _bonus(app, clerks[2], 3)
    graded = _grading(app, hall)
    assert [p.sheet.name for p in graded.excellent] == ["员工0"]
    assert sorted(p.sheet.name for p in graded.people if p.tied_out) == ["员工1", "员工2"]


def _everyone_may_be_excellent(admin):
    """Lift the quota (both shares to 100%), so only the exclusions keep anyone from 优秀."""
    for key in ("assessment.excellent_share_outstanding", "assessment.excellent_share"):
        assert rules.change(key, "100", admin) is None


def _verified_on(when, new_case, hall, people):
    clock.freeze(when)
    case = new_case(when=when)
    service.send(db.session.get(User, people["duty"]), case, hall["tax"])
    service.accept(db.session.get(User, people["leader"]), case)
    handling.verify(db.session.get(User, people["leader"]), case, "partly", "部分属实", people["clerk"])
    db.session.commit()


def test_two_verified_complaints_within_22_working_days_exclude_from_excellence_and_say_so(app, hall, people,
                                                                                           new_case):
    with app.app_context():
        _verified_on(datetime(2026, 11, 2, 10, 0), new_case, hall, people)
        _verified_on(datetime(2026, 11, 20, 10, 0), new_case, hall, people)
        clock.freeze(datetime(2026, 12, 2, 10, 0))
        _everyone_may_be_excellent(db.session.get(User, people["admin"]))
        graded = excellence.month(hall["hall"], 2026, 11)
    clerk = next(p for p in graded.people if p.sheet.user_id == people["clerk"])
    assert not clerk.excellent and clerk.reasons == ["22 个工作日内查实投诉 2 次（11月2日、11月20日）"]
    assert {p.sheet.user_id for p in graded.excellent} == {people["leader"], people["police"]}


def test_three_overdue_cases_in_the_year_exclude_from_excellence_and_say_so(app, hall, clerks, imported):
    imported(export(*[row(f"BJ90{i}", f"2026-11-0{i + 2} 09:00", 1, finished=f"2026-11-1{i} 10:00")
                      for i in range(3)]))
    with app.app_context():
        _everyone_may_be_excellent(db.session.get(User, clerks["admin"]))
        graded = excellence.month(hall["hall"], 2026, 11)
    zhang = next(p for p in graded.people if p.sheet.user_id == clerks["zhang"])
    assert not zhang.excellent and zhang.reasons == ["全年超期办件 3 件（达到 3 件取消评优）"]
    assert clerks["li"] in {p.sheet.user_id for p in graded.excellent}
