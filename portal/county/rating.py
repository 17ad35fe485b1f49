"""Station star ratings (星级评定): the check items, the rulebook's deductions, one rating made at once."""
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import clock, hallscope
from ..extensions import db
from ..refusals import Refusal
from ..rulebook import service as rules
from ..scores.service import to_centi
from .models import StationRating, StationRatingFinding

SECTIONS = {"facilities": "服务设施", "signage": "标识公开", "service": "服务规范"}
# (code, section, label): what the county checks on site (陕西省实体政务大厅管理暂行办法 第十八、二十二条).
ITEMS = [
    ("windows", "facilities", "服务窗口按业务量设置，综合窗口运行"),
    ("equipment", "facilities", "服务设施齐全完好（电脑、打印、叫号、评价器）"),
    ("waiting", "facilities", "等候区座椅、饮水、便民用品齐备"),
    ("sign", "signage", "统一标识牌匾规范悬挂"),
    ("board", "signage", "公开栏、电子屏信息及时更新"),
    ("guide", "signage", "办事指南、代办事项公开公示"),
    ("box", "signage", "意见箱设置并定期开启"),
    ("first_ask", "service", "首问负责、一次性告知落实"),
    ("ab_post", "service", "AB 岗到位，无空岗"),
    ("dress", "service", "工作人员统一着装、佩戴工作牌"),
    ("proxy", "service", "免费代办、帮办服务开展"),
    ("records", "service", "台账、限时办结记录齐全"),
]
LABELS = {code: label for code, _section, label in ITEMS}
SEVERITIES = {"minor": ("轻微", "rating.minor_points"), "normal": ("一般", "rating.normal_points"),
              "serious": ("严重", "rating.serious_points")}
MAX_STARS = 5


class RatingError(Refusal):
    """A refused star rating, with a Chinese message."""


@dataclass
class Answer:
    """What the supervisor marked for one item: a severity (empty: no problem) and a note."""

    item: str
    severity: str = ""
    note: str = ""


def deduction(severity: str, county_id: int) -> Decimal:
    """Return what one finding of this severity costs, from the county's rulebook: whichever hall the switcher
    shows, the county rates its stations by its own sheet."""
    return Decimal(str(rules.get(SEVERITIES[severity][1], county_id)))


def stars_for(score: Decimal, full: Decimal) -> int:
    """Return the whole stars a score earns (a full score is five stars)."""
    return max(0, min(MAX_STARS, int(score * MAX_STARS / full))) if full > 0 else 0


def rate(user, station_id: int, answers: list[Answer], note: str = "") -> StationRating:
    """Record a star rating of a station under the person's county, with its findings."""
    if station_id == user.home_hall_id or not hallscope.may_act_in(user, station_id):
        raise RatingError("只能评定本县下属的便民服务站", 404)
    bad = [a for a in answers if a.item not in LABELS or (a.severity and a.severity not in SEVERITIES)]
    if bad:
        raise RatingError("评定项目或问题程度不正确，请刷新页面后重试")
    found = [a for a in answers if a.severity]
    county = user.home_hall_id  # the county's sheet, whichever hall the switcher shows
    full = Decimal(str(rules.get("rating.full_score", county)))
    lost = sum((deduction(a.severity, county) for a in found), Decimal(0))
    score = max(Decimal(0), full - lost)
    rating = StationRating(hall_id=station_id, county_hall_id=user.home_hall_id, by_id=user.id,
                           day=clock.today(), at=clock.now(), full_centi=to_centi(full),
                           score_centi=to_centi(score), stars=stars_for(score, full), note=note.strip()[:2000])
    sections = {code: section for code, section, _label in ITEMS}
    rating.findings = [StationRatingFinding(item=a.item, section=sections[a.item], label=LABELS[a.item],
                                            severity=a.severity, centi=-to_centi(deduction(a.severity, county)),
                                            note=a.note.strip()[:200]) for a in found]
    db.session.add(rating)
    db.session.flush()
    return rating


def of_county(hall_ids: list[int], limit: int = 100) -> list[StationRating]:
    """Return the latest ratings of these halls, newest first."""
    return db.session.execute(
        select(StationRating).where(StationRating.hall_id.in_(hall_ids))
        .options(selectinload(StationRating.findings)).order_by(StationRating.id.desc()).limit(limit)).scalars().all()
