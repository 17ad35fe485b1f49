"""Named column-mapping profiles: a capability's presets in code, and the hall's saved ones."""
from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..refusals import Refusal
from .models import ImportProfile
from .reading import DELIMITERS, ENCODINGS


def preset(kind: str, name: str, columns: dict, *, encoding="auto", skip_rows=0, header=True,
           delimiter="auto", options=None) -> ImportProfile:
    """Build an unsaved profile a capability offers out of the box."""
    return ImportProfile(kind=kind, name=name, encoding=encoding, skip_rows=skip_rows,
                         mapping={"columns": columns, "header": header, "delimiter": delimiter,
                                  "options": options or {}})


def saved(hall_id: int, kind: str) -> list[ImportProfile]:
    """Return the hall's saved profiles of a kind, by name."""
    return db.session.execute(select(ImportProfile).where(ImportProfile.hall_id == hall_id, ImportProfile.kind == kind)
                              .order_by(ImportProfile.name)).scalars().all()


def available(hall_id: int, kind: str, presets: list[ImportProfile]) -> list[ImportProfile]:
    """Return the hall's profiles, then the presets it has not saved a version of under the same name."""
    own = saved(hall_id, kind)
    names = {p.name for p in own}
    return own + [p for p in presets if p.name not in names]


def find(hall_id: int, kind: str, name: str, presets: list[ImportProfile]) -> ImportProfile:
    """Return the profile of this name, or refuse with the names there are."""
    profiles = available(hall_id, kind, presets)
    for p in profiles:
        if p.name == name:
            return p
    raise Refusal(f"没有名为“{name}”的导入方案；可用：{'、'.join(p.name for p in profiles)}")


def save(hall_id: int, kind: str, name: str, mapping: dict, encoding: str, skip_rows: int, user) -> ImportProfile:
    """Create or change the hall's profile of this name (the change is audited like any write)."""
    name = (name or "").strip()
    if not name:
        raise Refusal("请填写方案名称")
    if encoding not in ENCODINGS or mapping.get("delimiter", "auto") not in DELIMITERS:
        raise Refusal("编码或分隔符不在可选范围内")
    if not 0 <= skip_rows <= 50:
        raise Refusal("标题行数应在 0 到 50 之间")
    row = db.session.execute(select(ImportProfile).where(
        ImportProfile.hall_id == hall_id, ImportProfile.kind == kind, ImportProfile.name == name)).scalar_one_or_none()
    if row is None:
        row = ImportProfile(hall_id=hall_id, kind=kind, name=name, created_by_id=getattr(user, "id", None),
                            created_at=clock.now())
        db.session.add(row)
    row.mapping, row.encoding, row.skip_rows = mapping, encoding, skip_rows
    db.session.commit()
    return row
