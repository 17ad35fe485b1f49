"""flask --app wsgi ratings-forget: erase raters' names and phones kept longer than the rulebook allows."""
import click
from flask.cli import with_appcontext


@click.command("ratings-forget")
@with_appcontext
def ratings_forget():
    """Erase the name and phone of raters whose keeping time is over (run daily)."""
    from .privacy import forget_raters
    click.echo(f"{forget_raters()} rating(s): rater's name and phone erased")
