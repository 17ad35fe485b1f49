"""Online ratings (一事一评) from the provincial platform's export, through the shared import mechanism."""
from datetime import datetime

from sqlalchemy import select

from .. import clock
from ..auth.models import User
from ..extensions import db
from ..imports import service as imports
from ..imports.profiles import preset
from ..imports.spec import Field, ImportSpec, RowError
from ..org.models import Department
from ..refusals import Refusal
from . import cases
from .models import BAD_LEVELS, LEVELS, Rating, RatingCase

KIND = "rating"
PROVINCIAL = "省好差评系统导出"
BY_LABEL = {label: value for value, label in LEVELS.items()}
FIELDS = [Field("case_number", "办件编号", True), Field("item_code", "事项编码"), Field("item_name", "事项名称"),
          Field("department", "部门", True), Field("channel", "评价渠道", True), Field("level", "评价等级", True),
          Field("tags", "评价标签"), Field("text", "评价内容"), Field("name", "申请人"), Field("phone", "联系电话"),
          Field("staff", "被评价人"), Field("rated_at", "评价时间", True)]


def presets():
    """Return the export layout every hall starts with (columns by their national names)."""
    return [preset(KIND, PROVINCIAL, {f.name: f.label for f in FIELDS})]


def _level(text: str) -> int:
    text = (text or "").strip()
    if text in BY_LABEL:
        return BY_LABEL[text]
    if text.isdigit() and int(text) in LEVELS:
        return int(text)
    raise RowError(f"评价等级“{text}”无法识别")


def _moment(text: str) -> str:
    try:
        found = datetime.fromisoformat((text or "").strip().replace("/", "-"))
    except ValueError:
        raise RowError(f"评价时间“{text}”无法识别") from None
    return (found if found.tzinfo else found.replace(tzinfo=clock.hall_tz())).isoformat()


def parse(values: dict, _options: dict) -> list[dict]:
    """Read one exported rating."""
    number = (values.get("case_number") or "").strip()
    if not number:
        raise RowError("缺少办件编号")
    tags = [t.strip() for t in (values.get("tags") or "").replace("，", ",").replace("；", ",").split(",")]
    return [{"case_number": number[:60], "item_code": (values.get("item_code") or "")[:60],
             "item_name": (values.get("item_name") or "")[:120], "department": (values.get("department") or "").strip(),
             "channel": (values.get("channel") or "").strip()[:40], "level": _level(values.get("level")),
             "tags": [t for t in tags if t][:12], "text": (values.get("text") or "")[:200],
             "name": (values.get("name") or "")[:40], "phone": (values.get("phone") or "")[:20],
             "staff": (values.get("staff") or "").strip(), "rated_at": _moment(values.get("rated_at"))}]


def key(record: dict) -> str:
    """Return the idempotency key: channel and 办件编号."""
    return f"{record['channel']}:{record['case_number']}"[:120]


def classify(hall_id: int, records: list[dict]) -> list:
    """Find each rating's unit (and rated staff member) in the hall; an unknown unit is not imported."""
    units = dict(db.session.execute(select(Department.name, Department.id).where(Department.hall_id == hall_id)).all())
    people = {(u.department_id, u.name): u.id for u in db.session.execute(
        select(User).where(User.hall_id == hall_id)).scalars()}
    verdicts = []
    for r in records:
        r["department_id"] = units.get(r["department"])
        r["staff_id"] = people.get((r["department_id"], r["staff"]))
        verdicts.append(None if r["department_id"] else ("unknown_unit", f"没有部门“{r['department']}”"))
    return verdicts


def to_row(record: dict) -> dict:
    """Return the rating's columns."""
    at = datetime.fromisoformat(record["rated_at"])
    return {"channel": "online", "case_number": record["case_number"], "item_code": record["item_code"],
            "item_name": record["item_name"], "department_id": record["department_id"],
            "staff_id": record["staff_id"], "level": record["level"], "tags": "\n".join(record["tags"]),
            "text": record["text"], "rater_name": record["name"], "rater_phone": record["phone"],
            "rated_at": at, "day": clock.local(at).date()}


SPEC = ImportSpec(kind=KIND, label="网上评价", fields=FIELDS, model=Rating, parse=parse, key=key, to_row=to_row,
                  classify=classify, class_labels={"unknown_unit": "部门不存在"},
                  columns=[("case_number", "办件编号"), ("department", "部门"), ("channel", "渠道"),
                           ("level", "等级"), ("staff", "被评价人")],
                  shown={"level": lambda v: LEVELS.get(v, v)})


def confirm(hall_id: int, token: str, user):
    """Save the previewed ratings; each bad one opens its rectification case like a rating at the window."""
    batch = imports.confirm(SPEC, hall_id, token, user)
    for rating in db.session.execute(select(Rating).where(Rating.import_id == batch.id,
                                                          Rating.level.in_(BAD_LEVELS))).scalars():
        cases.open_case(rating)
    db.session.commit()
    return batch


def reverse(batch, user, reason: str):
    """Reverse a whole import: its ratings go, with the cases of bad ones that nobody has worked on yet.

    A case someone has already verified, appealed or closed is a person's doing: the reversal is refused.
    """
    if not (reason or "").strip():
        raise Refusal("请填写撤销原因")
    found = db.session.execute(select(RatingCase).join(Rating, RatingCase.rating_id == Rating.id)
                               .where(Rating.import_id == batch.id)).scalars().all()
    busy = [c for c in found if any(s.action != "open" for s in c.steps)]
    if busy and batch.reversal is None:
        numbers = "、".join(c.rating.case_number or str(c.id) for c in busy)
        raise Refusal(f"办件 {numbers} 的差评已开始整改，不能撤销整次导入；请在差评整改中处理", 409)
    for case in found if batch.reversal is None else []:
        for step in case.steps:
            db.session.delete(step)  # the import opened them and nobody acted on them: they go with it
        db.session.delete(case)
    db.session.flush()
    return imports.reverse(SPEC, batch, user, reason)
