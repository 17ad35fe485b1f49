"""Patrol checklists (巡查清单): defaults from the rulebook, versions that rounds keep."""
from dataclasses import dataclass

from sqlalchemy import func, select

from .. import clock
from ..extensions import db
from ..refusals import Refusal
from ..rulebook import service as rules
from ..scores.service import to_centi
from .models import SECTIONS, ChecklistItem, ChecklistTemplate

# (section, label, rulebook key for the person's points, rulebook key for the unit's points)
DEFAULT_ITEMS = [
    ("on_post", "脱岗、串岗", "staff_points.late_early_away", None),
    ("on_post", "窗口空岗", None, "unit_points.window_unattended"),
    ("discipline", "打瞌睡、嬉戏打闹", "staff_points.horseplay_sleeping", None),
    ("discipline", "吃零食、吸烟、聊天", "staff_points.smoking_eating_chatting", None),
    ("discipline", "玩游戏、看视频、网购、用聊天软件", "staff_points.games_software", None),
    ("discipline", "工作时间饮酒", "staff_points.drinking", None),
    ("discipline", "带无关人员进入工作区", "staff_points.outsiders", None),
    ("appearance", "未按规定着装", "patrol.minor_points", None),
    ("appearance", "未佩戴工作证", "patrol.minor_points", None),
    ("environment", "台面不规范、卫生差", None, "unit_points.untidy_window"),
    ("environment", "办事指南、宣传资料不全", None, "patrol.minor_unit_points"),
    ("equipment", "设备故障未报修", None, "patrol.minor_unit_points"),
    ("service", "服务态度生硬、用语不规范", "staff_points.attitude_complaint", None),
    ("service", "引导群众找中介", "staff_points.intermediary", None),
]


class ChecklistError(Refusal):
    """A refused checklist change; the message is shown to the person."""


@dataclass
class ItemDraft:
    section: str
    label: str
    person_centi: int
    unit_centi: int


def default_drafts() -> list[ItemDraft]:
    """Return the default checklist with today's rulebook points."""
    def centi(key):
        return to_centi(rules.get(key)) if key else 0
    return [ItemDraft(s, label, centi(p), centi(u)) for s, label, p, u in DEFAULT_ITEMS]


def latest(hall_id: int) -> ChecklistTemplate | None:
    """Return the hall's newest checklist version, or None before the first one is saved."""
    return db.session.execute(select(ChecklistTemplate).where(ChecklistTemplate.hall_id == hall_id)
                              .order_by(ChecklistTemplate.version.desc()).limit(1)).scalar()


def seed_hall(hall, **_signal) -> None:
    """Give a new hall version 1 of the checklist, from the rulebook's defaults (on org.hall_created)."""
    if latest(hall.id) is None:
        save_version(hall.id, default_drafts(), None, 0, "默认清单")


def current(hall_id: int, user=None) -> ChecklistTemplate:
    """Return the newest version; a hall made before checklists were seeded gets version 1 at its first round."""
    return latest(hall_id) or save_version(hall_id, default_drafts(), user, 0, "默认清单")


def save_version(hall_id: int, drafts: list[ItemDraft], user, base_version: int,
                 note: str = "") -> ChecklistTemplate:
    """Store a new checklist version; refuse if someone saved another since base_version."""
    if not drafts:
        raise ChecklistError("清单至少要有一项")
    for d in drafts:
        if d.section not in SECTIONS or not d.label.strip():
            raise ChecklistError("每一项都要有类别和名称")
        if d.person_centi < 0 or d.unit_centi < 0:
            raise ChecklistError("扣分不能为负数")
    newest = db.session.execute(select(func.max(ChecklistTemplate.version))
                                .where(ChecklistTemplate.hall_id == hall_id)).scalar() or 0
    if newest != base_version:
        raise ChecklistError("清单已被他人修改，请刷新页面后再改", 409)
    template = ChecklistTemplate(hall_id=hall_id, version=newest + 1, created_at=clock.now(), note=note[:200],
                                 created_by_id=getattr(user, "id", None))
    order = list(SECTIONS)
    drafts = sorted(drafts, key=lambda d: order.index(d.section))  # stable: keeps order within a section
    template.items = [ChecklistItem(section=d.section, label=d.label.strip()[:80], person_centi=d.person_centi,
                                    unit_centi=d.unit_centi, sort_order=i) for i, d in enumerate(drafts)]
    db.session.add(template)
    db.session.flush()
    return template


def by_section(items) -> list[tuple[str, list]]:
    """Group items under their section headings, in the checklist's order."""
    out: dict[str, list] = {}
    for item in items:
        out.setdefault(item.section, []).append(item)
    return [(SECTIONS.get(s, s), rows) for s, rows in out.items()]
