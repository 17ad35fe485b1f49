"""Demo complaint cases (投诉): one in every state, one from a 12345 work order."""
from sqlalchemy import select

from .. import clock
from ..auth.models import User
from ..extensions import db
from ..org.models import Department
from ..rulebook import calendar
from . import handling, service


def _login(name: str) -> User:
    return db.session.execute(select(User).where(User.login == name)).scalar_one()


def _received(days_ago: int):
    """Return a moment in office hours this many working days ago."""
    day = clock.today()
    if not calendar.is_working_day(day):
        day = calendar.next_working_day(day, -1)
    for _ in range(days_ago):
        day = calendar.next_working_day(day, -1)
    return clock.now().replace(year=day.year, month=day.month, day=day.day, hour=9, minute=30)


def seed_demo(hall) -> None:
    """Register demo cases and move each to a different state."""
    duty, lead, admin = _login("zhiban"), _login("lingdao"), _login("admin")
    tax = db.session.execute(select(Department).where(Department.hall_id == hall.id,
                                                      Department.name == "税务局")).scalar_one()

    def case(kind, text, days_ago, channel="in_person", **fields):
        return service.register(duty, channel=channel, kind=kind, text=text, name="王五", phone="13900001111",
                                department_id=tax.id, received_at=_received(days_ago), **fields)

    case("enquiry", "咨询个体户定额发票领用需要哪些材料", 0, channel="hall_phone")
    sent = case("complaint", "税务窗口排队时间过长，无人引导", 1, channel="box")
    service.send(duty, sent, tax.id)
    accepted = case("complaint", "窗口人员办理时接打私人电话", 2)
    service.send(duty, accepted, tax.id)
    service.accept(lead, accepted)
    paused = case("suggestion", "建议增加自助办税终端", 3, channel="online")
    service.send(duty, paused, tax.id)
    service.accept(lead, paused)
    handling.pause(lead, paused, "请提供建议放置终端的位置说明")
    replied = case("complaint", "窗口人员态度生硬，不耐烦", 4, channel="hotline", work_order="12345-2026-000731")
    service.send(duty, replied, tax.id)
    service.accept(lead, replied)
    handling.ask_extension(lead, replied, "需调取当天监控核实")
    handling.decide_extension(admin, replied, True, "同意延期")
    handling.verify(lead, replied, "partly", "调取监控，窗口人员语气生硬属实")
    handling.reply(lead, replied, "经核实部分属实，已对窗口人员批评教育，感谢您的监督。")
    closed = case("enquiry", "咨询社保卡补办流程", 5, channel="letter")
    service.send(duty, closed, tax.id)
    service.accept(lead, closed)
    handling.verify(lead, closed, "false", "属咨询，已告知流程")
    handling.reply(lead, closed, "社保卡补办请携带身份证到 12 号窗口办理。")
    handling.callback(duty, closed, "satisfied", "群众表示满意")
    praise = case("praise", "感谢税务窗口耐心讲解", 1, channel="letter")
    handling.praise(duty, praise, "收到感谢信一封")
    db.session.commit()
