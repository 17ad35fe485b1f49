"""12345 work orders (热线工单) through the shared import mechanism: preview, confirm, then one case each."""
import re
from datetime import datetime

from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..imports import profiles as saved_profiles
from ..imports import service as imports
from ..imports.profiles import preset
from ..imports.spec import Field, ImportSpec, RowError
from ..org.models import Department
from . import service
from .models import KINDS, HotlineOrder

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


def preview(hall_id: int, user, file_name: str, data: bytes, profile_name: str = PRESET):
    """Classify an export file; nothing is saved until it is confirmed."""
    profile = saved_profiles.find(hall_id, KIND, profile_name, presets())
    return imports.preview(SPEC, hall_id, user, file_name, data, profile)


def confirm(hall_id: int, token: str, user) -> list:
    """Save the new work orders and open one case each, the clock started at the platform's received time."""
    imports.confirm(SPEC, hall_id, token, user)
    return open_cases(hall_id, user)


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
