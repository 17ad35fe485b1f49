"""Command-line tasks: flask --app wsgi <command>."""
import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from . import clock


def init_app(app: Flask) -> None:
    """Register the portal's commands."""
    from .attendance.cli import attendance_close_day
    from .cases.cli import cases_sweep
    from .patrol.cli import close_day
    from .ratings.cli import ratings_forget
    for command in (has_people, demo_data, audit_verify, audit_purge, sessions_clean, calendar_import, create_admin,
                    backup, restore):
        app.cli.add_command(command)
    app.cli.add_command(close_day)
    app.cli.add_command(attendance_close_day)
    app.cli.add_command(cases_sweep)
    app.cli.add_command(ratings_forget)
    register_imports(app)


def register_imports(app: Flask) -> None:
    """Add `<capability>-import FILE --profile NAME [--dry-run]` for every import the portal has."""
    from .attendance.import_views import PAGES as punches
    from .cases.import_views import PAGES as cases
    from .complaints.import_views import PAGES as hotline
    from .imports.cli import command
    from .ratings.import_views import PAGES as ratings
    for name, pages in (("attendance", punches), ("cases", cases), ("complaints", hotline), ("ratings", ratings)):
        app.cli.add_command(command(f"{name}-import", pages))


@click.command("has-people")
@with_appcontext
def has_people():
    """Exit 0 if the database already holds people, 1 if it is empty."""
    from sqlalchemy import func, select

    from .auth.models import User
    from .extensions import db
    count = db.session.execute(select(func.count(User.id))).scalar_one()
    click.echo(count)
    raise SystemExit(0 if count else 1)


@click.command("demo-data")
@with_appcontext
def demo_data():
    """Fill an empty database with the demo hall."""
    from .demo import load_demo
    if not current_app.config.get("DEMO_DATA_ALLOWED"):
        raise click.ClickException("demo data is never loaded in production")
    click.echo(load_demo())


@click.command("audit-verify")
@with_appcontext
def audit_verify():
    """Check the audit hash chain; exit 1 if any record was changed or removed (one machine at a time)."""
    from . import scheduled
    from .audit.service import verify
    with scheduled.exclusive("audit-verify") as alone:
        if not alone:
            click.echo("audit-verify: 另一台服务器正在校验，本次跳过")
            raise SystemExit(0)
        ok, problems = verify()
    for line in problems:
        click.echo(line)
    click.echo("审计链完整" if ok else f"审计链异常：{len(problems)} 处")
    raise SystemExit(0 if ok else 1)


@click.command("audit-purge")
@click.argument("before", type=click.DateTime(formats=["%Y-%m-%d"]))
@with_appcontext
def audit_purge(before):
    """Delete audit records older than BEFORE (never within the retention period)."""
    from .audit.service import PurgeRefused, purge_before
    from .rulebook import service as rules
    try:
        count = purge_before(before.date(), rules.get("security.audit_retention_days"))
    except PurgeRefused as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"deleted {count} audit records")


@click.command("sessions-clean")
@click.option("--again", is_flag=True, help="clean again though it ran today already (on any machine)")
@with_appcontext
def sessions_clean(again):
    """Delete expired sign-in sessions and old submission keys (run daily, once across machines)."""
    from . import scheduled
    scheduled.daily("sessions-clean", clock.today().isoformat(), again, _clean)


def _clean() -> str:
    from . import once
    from .auth.service import clean_sessions
    from .extensions import db
    sessions, keys = clean_sessions(), once.purge()
    db.session.commit()
    line = f"deleted {sessions} expired sessions and {keys} old submission keys"
    click.echo(line)
    return line


@click.command("calendar-import")
@click.argument("years", nargs=-1, type=int)
@with_appcontext
def calendar_import(years):
    """Copy holidays and make-up days from chinese-calendar (default: this year and next)."""
    from .rulebook import calendar
    this = clock.today().year
    for year in years or (this - 1, this, this + 1):
        if year not in calendar.package_years():
            click.echo(f"{year}: chinese-calendar does not know this year; enter it in the portal")
            continue
        click.echo(f"{year}: {calendar.import_year(year)} days added")


@click.command("create-admin")
@click.argument("login")
@click.argument("name")
@click.option("--hall", "hall_name", default="政务服务中心", help="name of the hall to create if none exists")
@with_appcontext
def create_admin(login, name, hall_name):
    """Create the first admin with a one-time password, printed once."""
    from .setup import first_admin
    click.echo(first_admin(login, name, hall_name))


@click.command("backup")
@click.argument("dest", type=click.Path())
@with_appcontext
def backup(dest):
    """Copy the database and uploaded files to DEST, consistently, while the portal runs."""
    from .backup import make_backup
    click.echo(make_backup(dest))


@click.command("restore")
@click.argument("source", type=click.Path(exists=True))
@click.option("--yes", is_flag=True, help="confirm replacing the current data")
@with_appcontext
def restore(source, yes):
    """Replace the database and uploaded files with a backup made by `backup`."""
    from .backup import restore_backup
    if not yes:
        raise click.ClickException("restore replaces all current data: add --yes to confirm")
    click.echo(restore_backup(source))
