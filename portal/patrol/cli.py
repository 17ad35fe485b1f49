"""flask --app wsgi close-day [DATE]: missed patrols become deductions, once however often it runs."""
from datetime import date

import click
from flask.cli import with_appcontext


@click.command("close-day")
@click.argument("day", required=False)
@with_appcontext
def close_day(day):
    """Close a day (default today): missed patrols and unreturned short leaves are charged once."""
    from .. import clock
    from ..duty.leave import close_overrun
    from .service import close_day as close
    try:
        when = date.fromisoformat(day) if day else clock.today()
    except ValueError:
        raise click.BadParameter("请按 YYYY-MM-DD 填写日期") from None
    lines = close(when)
    for line in lines:
        click.echo(line)
    click.echo(f"{when}: {len(lines)} missed patrol(s)")
    for line in close_overrun(when):  # an unreturned short leave is closed as overrun (超假)
        click.echo(line)
