"""ZKTeco push (ADMS / iclock): registered devices, their field order, and punches pushed over HTTP."""
from datetime import datetime

from sqlalchemy import select

from .. import clock
from ..audit import service as audit
from ..extensions import db
from ..imports import service as imports
from ..imports.profiles import preset
from ..refusals import Refusal
from ..rulebook import service as rules
from .models import AttendanceDevice, DeviceContact
from .punches import SPEC

FIELD_TOKENS = {"pin": "考勤号", "datetime": "打卡时间", "direction": "进出状态", "verify": "验证方式",
                "skip": "其他（忽略）"}
DEFAULT_ORDER = "pin,datetime,direction,verify,skip,skip"
SHOWN_UNREADABLE = 20  # unreadable lines kept verbatim in the audit event; the count covers them all


def parse_order(text: str) -> list[str]:
    """Read a field order such as "pin,datetime,direction,verify"; refuse unknown or repeated fields."""
    tokens = [t.strip().lower() for t in (text or "").replace("，", ",").split(",") if t.strip()]
    unknown = [t for t in tokens if t not in FIELD_TOKENS]
    if unknown:
        raise Refusal(f"字段顺序里有不认识的字段：{'、'.join(unknown)}（可用 {', '.join(FIELD_TOKENS)}）")
    named = [t for t in tokens if t != "skip"]
    if "pin" not in named or "datetime" not in named or len(named) != len(set(named)):
        raise Refusal("字段顺序须各含一次 pin（考勤号）和 datetime（打卡时间），其他字段不能重复")
    return tokens


def register(hall_id: int, serial: str, name: str, order: str, by) -> AttendanceDevice:
    """Register a device's serial number so its pushes are accepted."""
    serial = (serial or "").strip()
    if not serial:
        raise Refusal("请填写设备序列号（SN）")
    tokens = parse_order(order or DEFAULT_ORDER)
    if db.session.execute(select(AttendanceDevice.id).where(AttendanceDevice.serial == serial)).first():
        raise Refusal(f"序列号 {serial} 的设备已经登记", 409)
    device = AttendanceDevice(hall_id=hall_id, serial=serial, name=(name or "").strip()[:60],
                              field_order=",".join(tokens), registered_by_id=getattr(by, "id", None),
                              registered_at=clock.now())
    db.session.add(device)
    db.session.commit()
    return device


def registered(serial: str | None) -> AttendanceDevice | None:
    """Return the active device of this serial number, or None."""
    if not serial:
        return None
    return db.session.execute(select(AttendanceDevice).where(AttendanceDevice.serial == serial,
                                                             AttendanceDevice.active.is_(True))).scalar_one_or_none()


def refuse_unknown(serial: str | None, path: str) -> None:
    """Audit a call from a device nobody registered."""
    audit.record_now("attendance.device_refused", "attendance_device", (serial or "")[:40], "denied",
                     {"serial": (serial or "")[:40], "path": path})


def heard(device: AttendanceDevice, pushed: int = 0) -> None:
    """Note that the device called (and how many punches it brought)."""
    contact = db.session.get(DeviceContact, device.id) or DeviceContact(device_id=device.id, pushed=0)
    now = clock.now()
    contact.last_seen_at = now
    if pushed:
        contact.last_push_at, contact.pushed = now, (contact.pushed or 0) + pushed
    db.session.add(contact)


def profile_for(device: AttendanceDevice):
    """Return the positional mapping of the device's ATTLOG lines."""
    columns = {t: i for i, t in enumerate(device.field_order.split(",")) if t != "skip"}
    return preset(SPEC.kind, device.serial, columns, header=False, delimiter="tab",
                  options={"source": "zkteco", "device": device.serial})


def receive(device: AttendanceDevice, body: bytes) -> int:
    """Save the pushed punches that are new (unmapped ids and rest days included); return how many lines were read."""
    with rules.in_hall(device.hall_id):  # nobody signs in on a punch machine: its hall's calendar (rest days)
        rows, counts = (imports.classify_file(SPEC, device.hall_id, body, profile_for(device)) if body.strip()
                        else ([], {}))
    kept = [r for r in rows if r["cls"] in SPEC.keep]
    imports.save_rows(SPEC, device.hall_id, kept, None)
    heard(device, len(kept))
    bad = [r for r in rows if r["cls"] == "unreadable"]
    if bad:
        audit.record("attendance.push_unreadable", "attendance_device", device.id, "error", {
            "count": len(bad), "lines": [f"{r['line']}: {r['reason']} ({r['cells']})" for r in bad[:SHOWN_UNREADABLE]]})
    db.session.commit()
    return len(rows)


def devices(hall_id: int) -> list[AttendanceDevice]:
    """Return the hall's registered devices."""
    return db.session.execute(select(AttendanceDevice).where(AttendanceDevice.hall_id == hall_id)
                              .order_by(AttendanceDevice.serial)).scalars().all()


def silent_since(hall_id: int, since: datetime) -> list[AttendanceDevice]:
    """Return the hall's active devices not heard from since a moment (for the desk's opening check)."""
    return [d for d in devices(hall_id) if d.active and (d.contact is None or d.contact.last_seen_at is None
                                                         or d.contact.last_seen_at < since)]
