"""12345 work orders (热线工单) through the shared import mechanism: preview, confirm, then one case each."""
import re
from datetime import datetime

from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..imports import service as imports
from ..imports.profiles import preset
from ..imports.spec import Field, ImportSpec, RowError
from ..org.models import Department
from ..refusals import Refusal
from . import service
from .models import KINDS, Complaint, ComplaintStep, HotlineOrder

KIND = "hotline_order"
PRESET = "12345 热线工单导出"
_MOMENT = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?\s*(\d{1,2}):(\d{2})(?::(\d{2}))?")
KIND_WORDS = {"咨询": "enquiry", "投诉": "complaint", "举报": "complaint", "建议": "suggestion", "表扬": "praise",
              "感谢": "praise", "紧急": "urgent", "求助": "urgent"}
FIELDS = [Field("number", "工单编号", required=True), Field("received", "受理时间", required=True),
          Field("kind", "诉求类型"), Field("name", "来电人"), Field("phone", "联系电话"), Field("unit", "承办单位"),
          Field("text", "诉求内容", required=True)]


def _moment(text: str) -> str:
    m = _MOMENT.search(text or "")
    if not m:
        raise RowError(f"读不出受理时间“{text}”")
    parts = [int(p) for p in m.groups(default="0")]
    try:
        return datetime(*parts, tzinfo=clock.hall_tz()).isoformat()
    except ValueError:
        raise RowError(f"受理时间不存在“{text}”") from None


def parse(values: dict, _options: dict) -> list[dict]:
    """Turn one exported row into a work order record."""
    number, text = str(values.get("number") or "").strip(), str(values.get("text") or "").strip()
    if not number:
        raise RowError("缺少工单编号")
    if not text:
        raise RowError("缺少诉求内容")
    word = str(values.get("kind") or "")
    kind = next((k for w, k in KIND_WORDS.items() if w in word), "complaint")
    return [{"number": number, "received": _moment(str(values.get("received") or "")), "kind": kind,
             "name": str(values.get("name") or "").strip()[:60], "phone": str(values.get("phone") or "").strip()[:30],
             "unit": str(values.get("unit") or "").strip()[:120], "text": text[:4000]}]


def to_row(record: dict) -> dict:
    """Return the work order's columns."""
    return {"received_at": datetime.fromisoformat(record["received"]), "kind": record["kind"],
            "name": record["name"], "phone": record["phone"], "unit_name": record["unit"], "text": record["text"]}


SPEC = ImportSpec(
    kind=KIND, label="12345 工单", fields=FIELDS, model=HotlineOrder, parse=parse,
    key=lambda record: record["number"], to_row=to_row,
    columns=[("number", "工单编号"), ("received", "受理时间"), ("kind", "类别"), ("unit", "承办单位"),
             ("text", "诉求内容")],
    shown={"received": lambda v: v[:16].replace("T", " "), "kind": lambda k: KINDS.get(k, k)},
)


def presets():
    """Return the profile of the hotline platform's usual export."""
    return [preset(KIND, PRESET, {"number": "工单编号", "received": "受理时间", "kind": "诉求类型", "name": "来电人",
                                  "phone": "联系电话", "unit": "承办单位", "text": "诉求内容"})]


def confirm(hall_id: int, token: str, user):
    """Save the new work orders and open one case each, the clock started at the platform's received time."""
    if user is None:
        raise Refusal("请指定导入人（--by）：由工单生成的投诉件以导入人为首问责任人")
    batch = imports.confirm(SPEC, hall_id, token, user)
    open_cases(hall_id, user)
    return batch


def open_cases(hall_id: int, user) -> list:
    """Open a case for every imported work order that has none yet (safe to run again)."""
    orders = db.session.execute(select(HotlineOrder).where(HotlineOrder.hall_id == hall_id,
                                                           HotlineOrder.complaint_id.is_(None))
                                .order_by(HotlineOrder.received_at)).scalars().all()
    found = db.session.execute(select(Department).where(Department.hall_id == hall_id)).scalars()
    units = {d.name: d.id for d in found}
    made = []
    for order in orders:
        case = service.register(user, channel="hotline", kind=order.kind, text=order.text, name=order.name,
                                phone=order.phone, department_id=units.get(order.unit_name),
                                received_at=order.received_at, work_order=order.key)
        order.complaint_id = case.id
        made.append(case)
    db.session.commit()
    return made


def opened_by(batch) -> list[Complaint]:
    """Return the cases an import's work orders opened (after a reversal: the cases it withdrew)."""
    if batch.reversal is not None:
        return db.session.execute(select(Complaint).join(ComplaintStep).where(
            ComplaintStep.step == "withdrawn", ComplaintStep.value == _mark(batch))
            .order_by(Complaint.number)).scalars().all()
    return db.session.execute(select(Complaint).join(HotlineOrder, HotlineOrder.complaint_id == Complaint.id)
                              .where(HotlineOrder.import_id == batch.id).order_by(Complaint.number)).scalars().all()


def _mark(batch) -> str:
    return f"导入记录 {batch.id}"  # shown in the case history; finds the cases a reversal withdrew


def reverse(batch, user, reason: str):
    """Reverse a whole 12345 import: its work orders go and each case they opened is withdrawn by a step.

    A case someone has already worked on (sent, accepted...) is a person's doing, never undone here.
    """
    if not (reason or "").strip():
        raise Refusal("请填写撤销原因")
    cases = opened_by(batch) if batch.reversal is None else []
    busy = [c.number for c in cases if c.state != "received" or any(s.step != "registered" for s in c.steps)]
    if busy:
        raise Refusal(f"投诉件 {'、'.join(busy)} 已开始办理，不能撤销整次导入；请在投诉件上办理或说明", 409)
    for case in cases:
        service.step(case, "withdrawn", user, value=_mark(batch), note=reason.strip()[:500])
        case.state = "withdrawn"
    return imports.reverse(SPEC, batch, user, reason)
