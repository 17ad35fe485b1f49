"""Praise (表扬信、锦旗、媒体表扬): recorded by the supervisor with its evidence, its bonus on the ledger once."""
import hashlib
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from .. import clock
from ..auth.models import User
from ..extensions import db
from ..org.models import Department
from ..records import hall_record
from ..refusals import Refusal
from ..rulebook import service as rules
from ..scores import service as scores
from ..uploads import service as uploads
from ..uploads.models import StoredFile
from .models import PRAISE_KINDS, Praise

EVIDENCE = "rating_praise"  # the evidence kind of its files and of its ledger events
BONUS_KEYS = {"thanks_letter": "bonus_thanks_letter", "media_praise": "bonus_media_praise"}


class PraiseError(Refusal):
    """A refused praise record, told in Chinese."""


def _subject(hall_id: int, department_id: int, staff_id: int | None) -> tuple[Department, User | None]:
    unit = hall_record(Department, department_id, hall_id=hall_id)
    if unit.kind != "window_unit":
        raise PraiseError("请选择受表扬的窗口单位")
    staff = hall_record(User, staff_id, hall_id=hall_id) if staff_id else None
    if staff is not None and staff.department_id != unit.id:
        raise PraiseError(f"{staff.name}不是{unit.name}的工作人员")
    return unit, staff


def _check_evidence(hall_id: int, evidence) -> None:
    """Refuse a missing evidence, or one already recorded in this hall: one letter, one bonus."""
    if evidence is None or not evidence.filename:
        raise PraiseError("请上传表扬信、锦旗照片或报道的截图（PDF 或图片）")
    digest = hashlib.sha256(evidence.stream.read(uploads.limit_bytes("document") + 1)).hexdigest()
    evidence.stream.seek(0)
    seen = db.session.execute(select(Praise.id).join(StoredFile, (StoredFile.owner_type == EVIDENCE)
                                                     & (StoredFile.owner_id == Praise.id))
                              .where(Praise.hall_id == hall_id, StoredFile.sha256 == digest)).first()
    if seen:
        raise PraiseError(f"这份表扬材料已经登记过了（第 {seen[0]} 号登记），不能重复加分", 409)


def record(user, department_id: int, staff_id: int | None, kind: str, received_on: date, source: str,
           summary: str, evidence) -> Praise:
    """Record a praise with its evidence and give the rulebook's bonus to the unit (and the staff member) once."""
    if kind not in PRAISE_KINDS:
        raise PraiseError("请选择表扬类型")
    if received_on > clock.today():
        raise PraiseError("收到日期不能晚于今天")
    if not (source or "").strip():
        raise PraiseError("请填写表扬来源")
    unit, staff = _subject(user.hall_id, department_id, staff_id)
    _check_evidence(user.hall_id, evidence)
    stored = uploads.save(evidence, "document", EVIDENCE, None, user)
    praise = Praise(hall_id=user.hall_id, department_id=unit.id, staff_id=getattr(staff, "id", None), kind=kind,
                    received_on=received_on, source=source.strip()[:100], summary=(summary or "").strip()[:1000],
                    recorded_by_id=user.id, recorded_at=clock.now())
    db.session.add(praise)
    db.session.flush()
    uploads.attach(stored, EVIDENCE, praise.id)
    _bonus(praise, unit, staff, user)
    return praise


def _bonus(praise: Praise, unit: Department, staff: User | None, user) -> None:
    common = {"rule": f"表扬：{praise.kind_label}", "source": "evaluation", "day": praise.received_on,
              "recorded_by": user, "evidence": f"{EVIDENCE}:{praise.id}", "note": praise.source}
    key = BONUS_KEYS[praise.kind]
    event = scores.record(subject_department=unit, points=Decimal(rules.get(f"unit_points.{key}")),
                          key=f"praise:{praise.id}:unit", **common)
    praise.unit_event_id = getattr(event, "id", None)
    if staff is not None:
        event = scores.record(staff, points=Decimal(rules.get(f"staff_points.{key}")), department_id=unit.id,
                              key=f"praise:{praise.id}:staff", **common)
        praise.staff_event_id = getattr(event, "id", None)


def of_hall(hall_id: int, department_id: int | None = None) -> list[Praise]:
    """Return the hall's praises (of one unit), newest first."""
    q = select(Praise).where(Praise.hall_id == hall_id)
    if department_id is not None:
        q = q.where(Praise.department_id == department_id)
    return db.session.execute(q.order_by(Praise.received_on.desc(), Praise.id.desc())).scalars().all()


def evidence_of(praises: list[Praise]) -> dict[int, list[StoredFile]]:
    """Return the evidence files of these praises, by praise id."""
    return uploads.files_of(EVIDENCE, [p.id for p in praises])
