"""flask --app wsgi cases-sweep: overdue points as time passes (cases-import is the shared import command)."""
import click
from flask.cli import with_appcontext

from ..imports.cli import hall_of
from . import service


@click.command("cases-sweep")
@click.option("--hall", "hall_id", type=int, default=None, help="大厅编号（只有一个大厅时可省略）")
@with_appcontext
def cases_sweep(hall_id):
    """Record the points of cases that fell overdue since the last import (run daily after closing)."""
    hall_id = hall_of(hall_id)
    click.echo(f"已核对 {service.sweep(hall_id)} 个未办结办件的超期扣分")
