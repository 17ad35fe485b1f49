"""The audit administrator's pages: search, verify and export the audit log."""
import csv
import io
from datetime import datetime, timedelta

from flask import Response, request
from sqlalchemy import func, select

from .. import clock
from ..access import roles
from ..extensions import db
from ..htmx import render
from ..roles import Role
from . import bp, labels, service
from .models import AuditEvent

PAGE_SIZE = 50


def _filtered():
    args = request.args
    q = select(AuditEvent)
    if args.get("user"):
        q = q.where(AuditEvent.user_login.like(f"%{args['user'].strip()[:40]}%"))
    if args.get("event"):
        q = q.where(AuditEvent.event.like(f"%{args['event'].strip()[:60]}%"))
    if args.get("result") in AuditEvent.RESULT_LABELS:
        q = q.where(AuditEvent.result == args["result"])
    for name, op in (("from", "ge"), ("to", "lt")):
        value = args.get(name, "")
        try:
            day = datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=clock.hall_tz())
        except ValueError:
            continue
        if op == "ge":
            q = q.where(AuditEvent.at >= day)
        else:
            q = q.where(AuditEvent.at < day + timedelta(days=1))
    return q


@bp.route("/")
@roles(Role.AUDITOR)
def index():
    """Search the audit log."""
    page = max(request.args.get("page", 1, type=int), 1)
    # The audit administrator's own reading is audited too (审计管理员的操作同样留痕).
    service.record_now("audit.search", "audit_event", "", "ok", {"filter": dict(request.args)})
    q = _filtered()
    total = db.session.execute(select(func.count()).select_from(q.subquery())).scalar_one()
    rows = db.session.execute(q.order_by(AuditEvent.id.desc()).limit(PAGE_SIZE)
                              .offset((page - 1) * PAGE_SIZE)).scalars().all()
    return render("audit/index.html", "audit/_results.html", rows=rows, total=total, page_no=page,
                  pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1), args=request.args,
                  labels=AuditEvent.RESULT_LABELS, event_label=labels.event_label,
                  object_label=labels.object_label, detail_lines=labels.detail_lines)


@bp.route("/verify")
@roles(Role.AUDITOR)
def verify():
    """Check the hash chain and say whether any record was changed or removed."""
    ok, problems = service.verify()
    service.record_now("audit.verify", "audit_event", "", "ok" if ok else "failed",
                       {"problems": len(problems)})
    return render("audit/verify.html", "audit/verify.html", ok=ok, problems=problems[:200])


@bp.route("/export.csv")
@roles(Role.AUDITOR)
def export():
    """Export the filtered audit log as CSV (the export itself is audited)."""
    rows = db.session.execute(_filtered().order_by(AuditEvent.id)).scalars().all()
    service.record_now("export.audit_csv", "audit_event", "", "ok",
                       {"rows": len(rows), "filter": dict(request.args)})
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["编号", "时间", "用户", "来源IP", "事件", "对象类型", "对象", "结果", "详情", "哈希"])
    for r in rows:
        writer.writerow([r.id, clock.local(r.at).isoformat()] + [_no_formula(v) for v in (
            r.user_login, r.ip, r.event, r.object_type, r.object_id, r.result, r.detail)] + [r.hash])
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": "attachment; filename=audit.csv"})


def _no_formula(value: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
