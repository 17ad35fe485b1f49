"""flask --app wsgi remind: record the reminders due now and send the daily digests."""
import click
from flask import current_app
from flask.cli import with_appcontext

from .. import clock


def init_app(app) -> None:
    """Register the remind command."""
    app.cli.add_command(remind)


@click.command("remind")
@with_appcontext
def remind():
    """Record reminders of items come due or overdue (working hours only) and send today's digests."""
    from .. import scheduled
    from . import digest, worktime
    from . import remind as reminders
    # Items carry links built by url_for: build them as the portal's own address would.
    with scheduled.exclusive("remind") as alone, current_app.test_request_context(
            base_url=current_app.config.get("BASE_URL") or "http://localhost/"):
        if not alone:  # another machine is reminding right now: its run records the same reminders
            click.echo("remind: 另一台服务器正在运行，本次跳过")
            return
        for line in reminders.run():
            click.echo(line)
        if digest.configured() and worktime.in_hours(clock.now()):
            for line in digest.send_all():
                click.echo(line)
