"""Issue document numbers (发文字号) and give every printable its letterhead."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..extensions import db
from ..org.models import Hall
from ..refusals import Refusal
from .models import KINDS, DocumentSeries, IssuedDocument

ATTEMPTS = 5
PREFIX_MAX, ISSUER_MAX, NUMBER_MAX = 20, 80, 99999


class DocumentError(Refusal):
    """A refused change to the numbering, told in Chinese."""


@dataclass
class Letterhead:
    """What the document layout prints around a body: office, number and date."""

    issuer: str
    prefix: str
    year: int
    day: date
    issued: IssuedDocument | None = None

    @property
    def number(self) -> str:
        """The 发文字号, or its blank form (number left open) on a preview."""
        return self.issued.label if self.issued else f"{self.prefix}〔{self.year}〕　号"


def cn_date(day) -> str:
    """Write a date the way a document does (成文日期): 2026年12月1日."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def cn_span(start: date, end: date) -> str:
    """Write a span of days for a title: 2026年11月30日—12月6日 (the year again when it changes)."""
    tail = cn_date(end) if end.year != start.year else f"{end.month}月{end.day}日"
    return f"{cn_date(start)}—{tail}"


def default_prefix(hall) -> str:
    """Suggest a 机关代字 from the hall's name until the admin sets one."""
    return f"{hall.name[:2]}政服"


def series_of(hall, year: int) -> DocumentSeries:
    """Return the hall's series of a year; an unsaved one carrying last year's settings if there is none."""
    row = db.session.execute(select(DocumentSeries).where(
        DocumentSeries.hall_id == hall.id, DocumentSeries.year == year)).scalar()
    if row is not None:
        return row
    last = db.session.execute(select(DocumentSeries).where(DocumentSeries.hall_id == hall.id)
                              .order_by(DocumentSeries.year.desc()).limit(1)).scalar()
    return DocumentSeries(hall_id=hall.id, year=year, next_number=1,
                          prefix=last.prefix if last else default_prefix(hall),
                          issuer=last.issuer if last else hall.name)


def letterhead(hall, issued: IssuedDocument | None = None) -> Letterhead:
    """Return the letterhead of a document: its issued number, or today's blank one for a preview."""
    if issued is not None:
        return Letterhead(issued.issuer, issued.prefix, issued.year, clock.local(issued.issued_at).date(), issued)
    today = clock.today()
    series = series_of(hall, today.year)
    return Letterhead(series.issuer, series.prefix, today.year, today)


def issue(hall_id: int, kind: str, title: str, user, notice_id: int | None = None) -> IssuedDocument:
    """Give a document the hall's next number of the year; two issues never share one."""
    if kind not in KINDS:
        raise ValueError(f"unknown document kind: {kind!r}")
    year = clock.today().year
    for _ in range(ATTEMPTS):
        _ensure_series(hall_id, year)
        number, prefix, issuer = _take_number(hall_id, year)
        doc = IssuedDocument(hall_id=hall_id, year=year, number=number, prefix=prefix, issuer=issuer, kind=kind,
                             title=title[:200], issued_at=clock.now(), issued_by_id=user.id if user else None,
                             notice_id=notice_id)
        try:
            with db.session.begin_nested():
                db.session.add(doc)
        except IntegrityError:
            continue  # the admin set the sequence back onto a number taken meanwhile: take the next one
        return doc
    raise DocumentError("发文字号分配失败，请稍后重试", 409)


def _ensure_series(hall_id: int, year: int) -> None:
    if db.session.execute(select(DocumentSeries.id).where(
            DocumentSeries.hall_id == hall_id, DocumentSeries.year == year)).first():
        return
    row = series_of(db.session.get(Hall, hall_id), year)
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        pass  # another issue created the year's series first


def _take_number(hall_id: int, year: int) -> tuple[int, str, str]:
    # One atomic UPDATE ... RETURNING: the row lock (PostgreSQL) or the write lock (SQLite) orders issuers.
    stmt = (update(DocumentSeries).where(DocumentSeries.hall_id == hall_id, DocumentSeries.year == year)
            .values(next_number=DocumentSeries.next_number + 1, updated_at=clock.now())
            .returning(DocumentSeries.next_number, DocumentSeries.prefix, DocumentSeries.issuer)
            .execution_options(synchronize_session=False))
    taken, prefix, issuer = db.session.execute(stmt).one()
    return taken - 1, prefix, issuer


def of_notice(notice_id: int) -> IssuedDocument | None:
    """Return the number issued to a notice, if it has one."""
    return db.session.execute(select(IssuedDocument).where(IssuedDocument.notice_id == notice_id)).scalar()


def posted_today(hall_id: int, kind: str, title: str) -> IssuedDocument | None:
    """Return today's posted document of this kind and title, if any (a second tap or a reload posts nothing)."""
    q = select(IssuedDocument).where(IssuedDocument.hall_id == hall_id, IssuedDocument.kind == kind,
                                     IssuedDocument.title == title[:200], IssuedDocument.notice_id.is_not(None))
    found = db.session.execute(q.order_by(IssuedDocument.id.desc()).limit(1)).scalar()
    return found if found is not None and clock.local(found.issued_at).date() == clock.today() else None


def link_notice(doc: IssuedDocument, notice_id: int) -> None:
    """Record the notice a numbered document was posted as."""
    doc.notice_id = notice_id
    db.session.flush()


def issued_in(hall_id: int, year: int) -> list[IssuedDocument]:
    """Return the numbers a hall issued in a year, newest first."""
    return db.session.execute(select(IssuedDocument).where(
        IssuedDocument.hall_id == hall_id, IssuedDocument.year == year)
        .order_by(IssuedDocument.number.desc())).scalars().all()


def highest_issued(hall_id: int, year: int) -> int:
    """Return the highest number a hall issued in a year (0 if none)."""
    return db.session.execute(select(func.coalesce(func.max(IssuedDocument.number), 0)).where(
        IssuedDocument.hall_id == hall_id, IssuedDocument.year == year)).scalar_one()


def set_series(hall, year: int, prefix: str, issuer: str, next_number: int) -> DocumentSeries:
    """Set a year's 机关代字, issuing office and next number; a number already issued is never given again."""
    prefix, issuer = (prefix or "").strip(), (issuer or "").strip()
    _check(prefix, issuer, next_number)
    highest = highest_issued(hall.id, year)
    if next_number <= highest:
        raise DocumentError(f"{year}年已发出第{highest}号，下一个编号须大于{highest}")
    row = series_of(hall, year)
    row.prefix, row.issuer, row.next_number = prefix, issuer, next_number
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:
        raise DocumentError("刚有文件编号，请刷新页面后再改", 409) from None
    return row


def _check(prefix: str, issuer: str, next_number: int) -> None:
    if not prefix:
        raise DocumentError("请填写机关代字，例如“示范政服”")
    if len(prefix) > PREFIX_MAX or any(c in prefix for c in "〔〕[]（）() 　"):
        raise DocumentError(f"机关代字最多{PREFIX_MAX}个字，不含括号和空格（年份和序号会自动加上）")
    if not issuer or len(issuer) > ISSUER_MAX:
        raise DocumentError(f"请填写发文机关名称（最多{ISSUER_MAX}个字）")
    if not 1 <= next_number <= NUMBER_MAX:
        raise DocumentError(f"下一个编号须在 1 到 {NUMBER_MAX} 之间")
