"""flask --app wsgi remind: record the reminders due now and send the daily digests."""
import click
from flask import current_app
from flask.cli import with_appcontext


def init_app(app) -> None:
    """Register the remind command."""
    app.cli.add_command(remind)


@click.command("remind")
@with_appcontext
def remind():
    """Record reminders of items come due or overdue (working hours only) and send today's digests."""
    from . import digest
    from . import remind as reminders
    from .worktime import in_hours
    base = current_app.config.get("BASE_URL") or "http://localhost/"
    # Items carry links built by url_for: build them as the hall's own address would.
    with current_app.test_request_context(base_url=base):
        for line in reminders.run():
            click.echo(line)
        if digest.configured() and in_hours(_now()):
            for line in digest.send_all():
                click.echo(line)


def _now():
    from .. import clock
    return clock.now()
