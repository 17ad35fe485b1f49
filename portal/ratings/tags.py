"""The center's indicator tags for bad levels (评价指标), versioned: a change adds a version."""
from sqlalchemy import func, select

from .. import clock
from ..extensions import db
from ..refusals import Refusal
from .models import TagSet, split_tags

DEFAULT_TAGS = ("服务态度差", "办事效率低", "一次性告知不到位", "业务不熟练", "等候时间长", "环境设施差")
TAG_MAX, TAGS_MAX = 20, 12


def current(hall_id: int) -> TagSet:
    """Return the tag set in force for the hall: its latest version, or the defaults (version 0, unsaved)."""
    row = db.session.execute(select(TagSet).where(TagSet.hall_id == hall_id)
                             .order_by(TagSet.version.desc()).limit(1)).scalar()
    return row or TagSet(hall_id=hall_id, version=0, tags="\n".join(DEFAULT_TAGS))


def in_force(text: str | None) -> list[str]:
    """Return the tags of a tag set's text as read with a column query (None: the hall has none, the defaults)."""
    return split_tags(text) if text is not None else list(DEFAULT_TAGS)


def history(hall_id: int) -> list[TagSet]:
    """Return every version of the hall's tags, newest first."""
    return db.session.execute(select(TagSet).where(TagSet.hall_id == hall_id)
                              .order_by(TagSet.version.desc())).scalars().all()


def save(hall_id: int, text: str, user=None) -> TagSet:
    """Put a new version of the tags in force (one tag a line)."""
    lines = list(dict.fromkeys(t.strip() for t in (text or "").splitlines() if t.strip()))
    if not lines or len(lines) > TAGS_MAX or any(len(t) > TAG_MAX for t in lines):
        raise Refusal(f"请填写 1 至 {TAGS_MAX} 个指标，每行一个，每个不超过 {TAG_MAX} 个字")
    last = db.session.execute(select(func.max(TagSet.version)).where(TagSet.hall_id == hall_id)).scalar() or 0
    row = TagSet(hall_id=hall_id, version=last + 1, tags="\n".join(lines),
                 created_by_id=getattr(user, "id", None), created_at=clock.now())
    db.session.add(row)
    db.session.flush()
    return row
