"""flask --app wsgi attendance-import FILE --profile NAME [--dry-run]: punches from a file, without the browser."""
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from ..imports import service as imports
from ..imports.spec import CLASS_LABELS
from ..refusals import Refusal
from . import service
from .punches import SPEC

SHOWN_PROBLEMS = 20  # unreadable lines printed in full; the counts cover the rest


def _hall(hall_id):
    from ..extensions import db
    from ..org.models import Hall
    halls = db.session.execute(select(Hall.id)).scalars().all()
    if hall_id is None and len(halls) == 1:
        return halls[0]
    if hall_id not in halls:
        raise click.ClickException(f"请用 --hall 指定大厅（可选：{', '.join(map(str, halls))}）")
    return hall_id


def _by(login):
    from ..auth.models import User
    from ..extensions import db
    if not login:
        return None
    user = db.session.execute(select(User).where(User.login == login)).scalar_one_or_none()
    if user is None:
        raise click.ClickException(f"没有登录名为 {login} 的人员")
    return user


def _report(rows, counts):
    labels = {**CLASS_LABELS, **SPEC.class_labels}
    for cls, n in counts.items():
        if cls in labels:
            click.echo(f"{labels[cls]}：{n} 行")
    click.echo(f"跳过标题行 {counts.get('skipped', 0)} 行，空行 {counts.get('blank', 0)} 行")
    for r in [r for r in rows if r["cls"] == "unreadable"][:SHOWN_PROBLEMS]:
        click.echo(f"  第 {r['line']} 行：{r['reason']}")


@click.command("attendance-import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--profile", "profile_name", required=True, help="导入方案名称")
@click.option("--hall", "hall_id", type=int, default=None, help="大厅编号（只有一个大厅时可省略）")
@click.option("--by", "login", default=None, help="记作导入人的登录名")
@click.option("--dry-run", is_flag=True, help="只预览分类，不保存")
@with_appcontext
def attendance_import(file, profile_name, hall_id, login, dry_run):
    """Import punches from FILE with a named profile; --dry-run only shows what would be saved."""
    hall_id, user = _hall(hall_id), _by(login)
    data = file.read_bytes()
    try:
        profile = service.profile(hall_id, profile_name)
        if dry_run:
            rows, counts = imports.classify_file(SPEC, hall_id, data, profile)
            _report(rows, counts)
            click.echo(f"试运行：将保存 {service.kept_count(rows)} 条，未保存任何记录")
            return
        shown = imports.preview(SPEC, hall_id, user, file.name, data, profile)
        _report(shown.rows, shown.counts)
        batch = imports.confirm(SPEC, hall_id, shown.token, user)
    except Refusal as e:
        raise click.ClickException(e.message) from None
    click.echo(f"已导入 {batch.saved} 条（导入记录 {batch.id}）")


@click.command("attendance-close-day")
@click.argument("day", required=False)
@click.option("--hall", "hall_id", type=int, default=None, help="大厅编号（只有一个大厅时可省略）")
@with_appcontext
def attendance_close_day(day, hall_id):
    """Charge a past day's late, early, absent and overrun results once (default yesterday); re-running adds nothing."""
    from datetime import date, timedelta

    from .. import clock
    from ..extensions import db
    from . import points
    try:
        when = date.fromisoformat(day) if day else clock.today() - timedelta(days=1)
    except ValueError:
        raise click.BadParameter("请按 YYYY-MM-DD 填写日期") from None
    lines = points.close_day(_hall(hall_id), when)
    db.session.commit()
    for line in lines:
        click.echo(line)
    click.echo(f"{when}: {len(lines)} 条考勤记分变动")
