"""The center's indicator tags for bad levels (评价指标): each save is a new version."""
from flask_login import current_user

from ..access import roles
from ..extensions import db
from ..htmx import render
from ..once import once
from ..refusals import Refusal, refused
from ..roles import Role
from . import bp, tags
from .forms import TagsForm


def _tags_page(form=None, message="", ok=False, status=200):
    found = tags.current(current_user.hall_id)
    form = form or TagsForm(data={"tags": found.tags})
    return render("ratings/tags.html", "ratings/_tags.html", status=status, form=form, current=found,
                  history=tags.history(current_user.hall_id), message=message, ok=ok)


@bp.route("/tags")
@roles(Role.ADMIN)
def tags_page():
    """Show the tags in force and their versions."""
    return _tags_page()


@bp.route("/tags", methods=["POST"])
@roles(Role.ADMIN)
@once
def save_tags():
    """Put a new version of the tags in force; ratings keep the version they were given with."""
    form = TagsForm()
    if not form.validate_on_submit():
        return _tags_page(form, "请检查填写的内容", status=422)
    try:
        row = tags.save(current_user.hall_id, form.tags.data, current_user)
    except Refusal as error:
        return refused(error, lambda message, status: _tags_page(form, message, status=status))
    db.session.commit()
    return _tags_page(message=f"已启用第 {row.version} 版评价指标", ok=True)
