"""Factory fixtures for the case tests: a frozen clock, two clerks, and exports written on the fly."""
from datetime import datetime

import pytest

from portal.cases import service
from portal.cases.profiles import DEFAULT
from portal.extensions import db
from portal.org.models import Window
from portal.roles import Role
from tests.conftest import frozen_clock

# Friday 11 December 2026, mid-morning: the cases below were taken the week before.
frozen = frozen_clock(datetime(2026, 12, 11, 10, 0))
HEADER = ["办件编号", "事项名称", "事项编码", "受理时间", "法定时限", "承诺时限", "办结时间", "补正开始", "补正结束",
          "窗口", "受理人"]


def row(number, accepted, promised, finished="", window="1", clerk="张三", pause=("", ""), item="个体工商户登记"):
    """Return one line of an export (the approval system's column order)."""
    return [number, item, "330100-001", accepted, "20", str(promised), finished, pause[0], pause[1], window, clerk]


def export(*rows) -> bytes:
    """Write an export as the approval system's UTF-8 CSV with its header."""
    return "\n".join(",".join(r) for r in [HEADER, *rows]).encode("utf-8")


@pytest.fixture
def clerks(app, hall, make_user):
    """Clerk 张三 at window 1 (tax), clerk 李四 at window 2, and the tax unit's window leader."""
    ids = {"zhang": make_user("zhang", Role.STAFF, name="张三"),
           "li": make_user("li", Role.STAFF, name="李四", department="police"),
           "leader": make_user("taxlead", Role.WINDOW_LEADER, name="税务负责人"),
           "admin": make_user("caseadmin", Role.ADMIN, name="管理员", department="office")}
    with app.app_context():
        for login, number in (("zhang", 1), ("li", 2)):
            window = db.session.query(Window).filter_by(number=number).one()
            from portal.auth.models import User
            db.session.query(User).filter_by(login=login).one().window_id = window.id
        db.session.commit()
    return ids


@pytest.fixture
def imported(app, hall, clerks):
    """Return a function that previews and confirms an export, returning (preview rows, batch)."""
    def run(data: bytes):
        with app.app_context():
            from portal.auth.models import User
            admin = db.session.get(User, clerks["admin"])
            shown = service.preview(hall["hall"], admin, "export.csv", data, DEFAULT)
            rows = shown.rows
            batch = service.confirm(hall["hall"], shown.token, admin) if service.kept_count(rows) else None
            return rows, (batch.id if batch else None)
    return run
