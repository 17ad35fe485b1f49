"""The month's sheet: a hand-computed small hall with events of every source, category maxima and the cap."""
from decimal import Decimal

from portal.assessment import sheet
from portal.auth.models import User
from portal.extensions import db
from portal.rulebook import service as rules
from tests.assessment_fixtures import ledger, staff, void  # noqa: F401


def _month(app, hall):
    with app.app_context():
        return sheet.month(hall["hall"], 2026, 11)


def _every_source(staff, ledger, void):
    clerk = staff["clerk"]
    ledger(-2, person=clerk, rule="迟到", source="attendance")
    ledger(-5, person=clerk, rule="旷工半天", source="attendance")
    ledger(-3, person=clerk, rule="巡查：工作时间饮酒", source="patrol")
    void(ledger(-2, person=clerk, rule="巡查：吃零食、吸烟、聊天", source="patrol"))
    ledger(-2, person=clerk, rule="好差评：查实的不满意", source="evaluation")
    ledger(-3, person=clerk, rule="服务态度被投诉（查实）", source="complaint")
    ledger(2, person=clerk, rule="感谢信（表扬）", source="complaint")
    ledger(-1, person=clerk, rule="办件超期", source="case")
    ledger("-0.2", person=clerk, rule="少巡查一次（第2次）", source="missed_patrol")
    ledger(3, person=clerk, rule="服务标兵", source="manual")
    ledger(-1, person=clerk, rule="工作记录不全", source="manual")
    ledger(-1, unit="tax", rule="迟到：张三", source="attendance")
    ledger(-5, unit="tax", rule="巡查：窗口空岗", source="patrol")
    ledger(-10, unit="tax", rule="好差评：查实的不满意", source="evaluation")
    ledger(-8, unit="tax", rule="投诉答复逾期", source="complaint")
    ledger(5, unit="tax", rule="承诺件即办（A-1）", source="case")
    ledger(-2, unit="tax", rule="未按规定坐班", source="sitin")
    ledger(2, unit="tax", rule="感谢信（表扬）", source="manual")
    ledger(-5, unit="tax", rule="未经批准更换窗口人员", source="manual")


def test_a_sheet_matches_the_hand_computed_one_for_every_source(app, hall, staff, ledger, void):
    _every_source(staff, ledger, void)
    result = _month(app, hall)
    clerk = result.person(staff["clerk"])
    subtotals = {c.key: c.points for c in clerk.categories}
    assert subtotals == {"attendance": -7, "patrol": -3, "evaluation": -2, "complaint": -3, "case": -1,
                         "duty": Decimal("-0.2"), "linked": 0, "other": -1}
    assert clerk.bonus_centi == 500 and clerk.total == Decimal("87.8")
    tax = result.unit(hall["tax"])
    subtotals = {c.key: c.points for c in tax.categories}
    # 张三 lost 17.2 points: each 5 lost costs the unit 2, so 3 x -2 = -6 (人员连带).
    assert subtotals == {"attendance": -1, "patrol": -5, "evaluation": -10, "complaint": -8, "case": 0,
                         "duty": -2, "linked": -6, "other": -5}
    assert tax.bonus_centi == 700 and tax.total == Decimal("70")
    assert [line.event_id is not None for line in tax.lines].count(False) == 1  # the linked cost has no event


def test_a_category_is_held_at_its_maximum_deduction(app, hall, staff, ledger):
    ledger(-10, unit="police", rule="好差评：查实的不满意", source="evaluation")
    ledger(-10, unit="police", rule="好差评：查实的不满意", source="evaluation")
    police = _month(app, hall).unit(hall["police"])
    evaluation = next(c for c in police.categories if c.key == "evaluation")
    assert evaluation.raw_centi == -2000 and evaluation.points == -15 and evaluation.held
    assert police.total == 85


def test_bonuses_stop_at_the_cap_and_units_rank_by_total(app, hall, staff, ledger):
    for _ in range(4):
        ledger(3, person=staff["clerk2"], rule="服务标兵", source="manual")
    ledger(-1, unit="tax", rule="台面不规范", source="patrol")
    result = _month(app, hall)
    clerk2 = result.person(staff["clerk2"])
    assert clerk2.capped and clerk2.total == 110 and clerk2.rank == 1
    assert [(s.name, s.rank) for s in result.units] == [("公安局户政", 1), ("税务局", 2)]
    # Everyone without an event shares the next rank at the base.
    assert {s.rank for s in result.people if s.user_id != staff["clerk2"]} == {2}


def test_the_rulebook_scheme_reproduces_the_seven_category_sheet(app, hall, staff, ledger):
    with app.app_context():
        assert rules.change("sheet.scheme", "window_seven", db.session.get(User, staff["admin"])) is None
    ledger(-5, unit="tax", rule="巡查：台面不规范、卫生差", source="patrol")
    ledger(-3, unit="tax", rule="巡查：窗口空岗", source="patrol")
    ledger(-4, unit="tax", rule="档案归档不及时", source="manual")
    tax = _month(app, hall).unit(hall["tax"])
    subtotals = {c.label: c.points for c in tax.categories}
    assert list(subtotals) == ["到岗", "收退件", "收费", "限时承诺", "办事结果", "档案", "卫生", "其他"]
    assert subtotals["卫生"] == -2 and subtotals["到岗"] == -3 and subtotals["档案"] == -3
    assert tax.total == 92
