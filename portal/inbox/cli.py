"""flask --app wsgi remind: record the reminders due now and send the daily digests."""
import click
from flask import current_app
from flask.cli import with_appcontext

from .. import jobs


def init_app(app) -> None:
    """Register the remind command, and the reminders as a task the worker runs (on its schedule, if set)."""
    app.cli.add_command(remind)
    jobs.register_task("remind", run_task)
    jobs.every("remind", app.config.get("REMIND_MINUTES", 0))


def run() -> list[str]:
    """Record the reminders due now and send today's digests, unless another machine is doing it now."""
    from .. import scheduled
    from . import digest
    from . import remind as reminders
    with scheduled.exclusive("remind") as alone:
        if not alone:  # another machine is reminding right now: its run records the same reminders
            return ["remind: 另一台服务器正在运行，本次跳过"]
        lines = list(reminders.run())
        if digest.configured():  # each hall's in its own working hours
            lines += digest.send_all()
        return lines


def run_task() -> jobs.Outcome:
    """Run the reminders in the worker (its request context builds the links)."""
    lines = run()
    return jobs.Outcome(f"待办提醒：{len(lines)} 条记录" + ("\n" + "\n".join(lines) if lines else ""))


@click.command("remind")
@click.option("--queue", is_flag=True, help="hand the run to the background worker instead of running it here")
@with_appcontext
def remind(queue):
    """Record reminders of items come due or overdue (working hours only) and send today's digests."""
    if queue:
        click.echo(f"remind: 已交给后台任务 {jobs.submit('remind', None, 'remind', '{}')}")
        return
    # Items carry links built by url_for: build them as the portal's own address would.
    with current_app.test_request_context(base_url=current_app.config.get("BASE_URL") or "http://localhost/"):
        for line in run():
            click.echo(line)
