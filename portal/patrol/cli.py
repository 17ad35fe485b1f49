"""flask --app wsgi close-day [DATE]: missed patrols become deductions, once however often it runs."""
from datetime import date

import click
from flask.cli import with_appcontext


@click.command("close-day")
@click.argument("day", required=False)
@click.option("--again", is_flag=True, help="run again though the day was closed already (on any machine)")
@with_appcontext
def close_day(day, again):
    """Close a day (default today): missed patrols and unreturned short leaves are charged once."""
    from .. import clock, scheduled
    try:
        when = date.fromisoformat(day) if day else clock.today()
    except ValueError:
        raise click.BadParameter("请按 YYYY-MM-DD 填写日期") from None
    scheduled.daily("close-day", when.isoformat(), again, lambda: _close(when))


def _close(when: date) -> str:
    from ..duty.leave import close_overrun
    from .service import close_day as close
    lines = close(when)
    for line in lines:
        click.echo(line)
    click.echo(f"{when}: {len(lines)} missed patrol(s)")
    overrun = close_overrun(when)
    for line in overrun:  # an unreturned short leave is closed as overrun (超假)
        click.echo(line)
    return f"{len(lines)} missed patrol(s), {len(overrun)} overrun leave(s)"
