"""flask --app wsgi cases-sweep: overdue points as time passes (cases-import is the shared import command)."""
import click
from flask.cli import with_appcontext

from .. import scheduled
from . import service


@click.command("cases-sweep")
@click.option("--hall", "hall_id", type=int, default=None, help="大厅编号（省略时逐个处理每个大厅）")
@with_appcontext
def cases_sweep(hall_id):
    """Record the points of cases that fell overdue since the last import (run daily after closing)."""
    try:
        for hall in scheduled.each_hall(hall_id):
            click.echo(f"大厅 {hall}：已核对 {service.sweep(hall)} 个未办结办件的超期扣分")
    except LookupError as e:
        raise click.ClickException(str(e)) from None
