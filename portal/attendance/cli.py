"""flask --app wsgi attendance-close-day (attendance-import is the shared import command)."""
import click
from flask.cli import with_appcontext


@click.command("attendance-close-day")
@click.argument("day", required=False)
@click.option("--hall", "hall_id", type=int, default=None, help="大厅编号（省略时逐个处理每个大厅）")
@with_appcontext
def attendance_close_day(day, hall_id):
    """Charge a past day's late, early, absent and overrun results once (default yesterday); re-running adds nothing."""
    from datetime import date, timedelta

    from .. import clock, scheduled
    from ..extensions import db
    from . import points
    try:
        when = date.fromisoformat(day) if day else clock.today() - timedelta(days=1)
    except ValueError:
        raise click.BadParameter("请按 YYYY-MM-DD 填写日期") from None
    try:
        lines = [line for hall in scheduled.each_hall(hall_id) for line in points.close_day(hall, when)]
    except LookupError as e:
        raise click.ClickException(str(e)) from None
    db.session.commit()
    for line in lines:
        click.echo(line)
    click.echo(f"{when}: {len(lines)} 条考勤记分变动")
