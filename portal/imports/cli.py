"""`flask --app wsgi <kind>-import FILE --profile NAME [--dry-run]`: any capability's import, without the browser."""
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from ..refusals import Refusal
from . import service
from .pages import ImportPages
from .spec import DUPLICATE

SHOWN_PROBLEMS = 20  # problem lines printed in full; the counts cover the rest


def hall_of(hall_id: int | None) -> int:
    """Return the hall a command acts for: the one given, or the only top-level hall."""
    from ..extensions import db
    from ..org.models import Hall
    halls = db.session.execute(select(Hall.id).where(Hall.parent_id.is_(None))).scalars().all()
    if hall_id is None and len(halls) == 1:
        return halls[0]
    if hall_id is None or db.session.get(Hall, hall_id) is None:
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


def _report(pages: ImportPages, rows, counts):
    labels = pages.spec.labels
    for cls, n in counts.items():
        if cls in labels:
            click.echo(f"{labels[cls]}：{n} 行")
    click.echo(f"跳过标题行 {counts.get('skipped', 0)} 行，空行 {counts.get('blank', 0)} 行")
    problems = [r for r in rows if r["cls"] not in pages.spec.keep and r["cls"] != DUPLICATE]
    for r in problems[:SHOWN_PROBLEMS]:
        click.echo(f"  第 {r['line']} 行：{r['reason']}")


def _run(pages: ImportPages, file: Path, profile_name, hall_id, login, dry_run):
    from flask import current_app

    from .. import hallscope
    from ..rulebook import service as rules
    hall_id, user = hall_of(hall_id), _by(login)
    if user is not None and not hallscope.may_act_in(user, hall_id):
        raise click.ClickException(f"{user.name}（{user.login}）不能在编号为 {hall_id} 的大厅导入")
    data = file.read_bytes()
    # As the hall's own import pages run it: the person (if named) acting in this hall, which a county person
    # importing for a station switches to, and the hall's rulebook and calendar (deadlines, points).
    with current_app.test_request_context(method="POST"), rules.in_hall(hall_id):
        if user is not None:
            hallscope.act_as(user, hall_id)
        _import(pages, file, data, profile_name, hall_id, user, dry_run)


def _import(pages: ImportPages, file: Path, data: bytes, profile_name, hall_id: int, user, dry_run):
    try:
        profile = pages.profile(hall_id, profile_name)
        if dry_run:
            rows, counts = service.classify_file(pages.spec, hall_id, data, profile)
            _report(pages, rows, counts)
            click.echo(f"试运行：将保存 {pages.kept(rows)} {pages.unit}，未保存任何记录")
            return
        shown = service.preview(pages.spec, hall_id, user, file.name, data, profile)
        _report(pages, shown.rows, shown.counts)
        batch = pages.confirm(hall_id, shown.token, user)
    except Refusal as e:
        raise click.ClickException(e.message) from None
    click.echo(f"已导入 {batch.saved} {pages.unit}{pages.noun}（导入记录 {batch.id}）")


def command(name: str, pages: ImportPages) -> click.Command:
    """Build the import command of a capability: FILE with a named profile; --dry-run only shows the preview."""
    @click.command(name, help=f"Import {pages.spec.kind} rows ({pages.spec.label}) from FILE with a named profile; "
                              "--dry-run only shows what would be saved.")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--profile", "profile_name", required=True, help="导入方案名称")
    @click.option("--hall", "hall_id", type=int, default=None, help="大厅编号（只有一个大厅时可省略）")
    @click.option("--by", "login", default=None, help="记作导入人的登录名")
    @click.option("--dry-run", is_flag=True, help="只预览分类，不保存")
    @with_appcontext
    def run(file, profile_name, hall_id, login, dry_run):
        _run(pages, file, profile_name, hall_id, login, dry_run)
    return run
