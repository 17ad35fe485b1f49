"""Admin pages for people and their accounts."""
from flask import flash, request, url_for
from flask_login import current_user

from ..access import roles
from ..audit import service as audit
from ..auth import passwords
from ..auth.service import end_sessions
from ..extensions import db
from ..forms import ConfirmForm
from ..htmx import is_htmx, render
from ..once import once
from ..privacy import service as privacy
from ..records import hall_record
from ..roles import COUNTY_ROLES, Role
from . import bp, service
from .forms import NONE, PersonForm
from .helpers import commit_or_error
from .models import User, Window


def _person_phone(person_id: int, viewer) -> str:
    return hall_record(User, person_id, hall_id=viewer.hall_id).phone


def register_reveals() -> None:
    """Register the fields of a person an admin may reveal in full."""
    privacy.register("user.phone", "phone", {Role.ADMIN}, _person_phone)


def _people_panel(form=None, editing=None, status=200, secret=None):
    dept = request.args.get("department", type=int)
    search = request.args.get("q", "").strip()[:40]
    response = render("org/people.html", "org/_people.html", status=status, form=form, editing=editing,
                      people=service.people(current_user.hall_id, dept, search), secret=secret,
                      departments=service.departments(current_user.hall_id), dept=dept, q=search)
    if form is None and request.method == "POST" and is_htmx():
        # The list came back after a save or an account action: the address names the list and its
        # filter (not the edit form it was opened from), so a reload or a pasted link shows the same.
        response.headers["HX-Replace-Url"] = url_for("org.people", q=search or None, department=dept or None)
    return response


def _person_choices(form: PersonForm):
    hall = current_user.hall_id
    form.department_id.choices = [(NONE, "（无）")] + [(d.id, d.name) for d in service.departments(hall)]
    form.window_id.choices = [(NONE, "（无）")] + [
        (w.id, f"{w.number} 号 {w.name}") for w in service.windows(hall)]
    if not (Role.COUNTY_ADMIN in current_user.held_roles and hall == current_user.home_hall_id):
        # County roles reach every station below: only the county admin, in the county, gives them.
        form.roles.choices = [c for c in form.roles.choices if Role(c[0]) not in COUNTY_ROLES]


@bp.route("/people")
@roles(Role.ADMIN)
def people():
    """List the hall's people, by department or search."""
    return _people_panel()


def _fill_person(person: User, form: PersonForm) -> None:
    window = hall_record(Window, form.window_id.data) if form.window_id.data else None
    person.name, person.login = form.name.data.strip(), form.login.data.strip()
    person.phone = (form.phone.data or "").strip()
    person.department_id = form.department_id.data or None
    person.window_id = window.id if window else None
    old = person.held_roles
    person.set_roles(form.roles.data)
    if person.id and old != person.held_roles:
        audit.record("user.roles_change", "user", person.id, "ok",
                     {"from": sorted(old), "to": sorted(person.held_roles)})


@bp.route("/people/new", methods=["GET", "POST"])
@roles(Role.ADMIN)
@once
def person_new():
    """Add a person with a one-time password to change at first sign-in."""
    form = PersonForm()
    _person_choices(form)
    if form.validate_on_submit():
        person = User(hall_id=current_user.hall_id)
        _fill_person(person, form)
        secret = service.temporary_password()
        passwords.set_password(person, secret, must_change=True)
        db.session.add(person)
        if commit_or_error(form, "login", "这个登录名已被使用"):
            flash(f"已添加 {person.name}", "ok")
            return _people_panel(secret=(person, secret))
    return _people_panel(form=form, status=422 if form.errors else 200)


@bp.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
@roles(Role.ADMIN)
def person_edit(person_id):
    """Change a person's details and roles."""
    person = hall_record(User, person_id)
    form = PersonForm(obj=person if request.method == "GET" else None)
    _person_choices(form)
    if request.method == "GET":
        if person.phone:  # the edit form shows the full number: that is a reveal too
            audit.record_now("privacy.reveal", "user", person.id, "ok", {"field": "user.phone", "via": "edit"})
        form.roles.data = sorted(person.held_roles)
        form.department_id.data = person.department_id or NONE
        form.window_id.data = person.window_id or NONE
    if form.validate_on_submit():
        if person.id == current_user.id and not {Role.ADMIN, Role.COUNTY_ADMIN} & set(form.roles.data):
            form.roles.errors.append("不能取消自己的中心管理员角色")
        else:
            _fill_person(person, form)
            if commit_or_error(form, "login", "这个登录名已被使用"):
                flash(f"已保存 {person.name}", "ok")
                return _people_panel()
    return _people_panel(form=form, editing=person, status=422 if form.errors else 200)


def _account_action(person_id: int, action):
    person = hall_record(User, person_id)
    if not ConfirmForm().validate_on_submit():
        return _people_panel(status=400)
    if person.id == current_user.id:
        flash("不能对自己的账号做这个操作", "error")
        return _people_panel(status=409)
    return action(person)


@bp.route("/people/<int:person_id>/active", methods=["POST"])
@roles(Role.ADMIN)
def person_toggle(person_id):
    """Deactivate a person (ending their sessions), or bring them back."""
    def act(person):
        person.active = not person.active
        if not person.active:
            end_sessions(person, "deactivated")
        db.session.commit()
        flash(f"已{'启用' if person.active else '停用'} {person.name}", "ok")
        return _people_panel()
    return _account_action(person_id, act)


@bp.route("/people/<int:person_id>/reset", methods=["POST"])
@roles(Role.ADMIN)
def person_reset(person_id):
    """Give a person a one-time password, to be changed at next sign-in."""
    def act(person):
        secret = service.temporary_password()
        passwords.set_password(person, secret, must_change=True)
        person.failed_logins, person.locked_until = 0, None
        end_sessions(person, "password_reset")
        audit.record("auth.password_reset", "user", person.id)
        db.session.commit()
        return _people_panel(secret=(person, secret))
    return _account_action(person_id, act)


@bp.route("/people/<int:person_id>/unlock", methods=["POST"])
@roles(Role.ADMIN)
def person_unlock(person_id):
    """Unlock an account locked after failed sign-ins."""
    def act(person):
        person.failed_logins, person.locked_until = 0, None
        audit.record("auth.unlock", "user", person.id)
        db.session.commit()
        flash(f"已解锁 {person.name}", "ok")
        return _people_panel()
    return _account_action(person_id, act)


@bp.route("/people/<int:person_id>/sessions", methods=["POST"])
@roles(Role.ADMIN)
def person_end_sessions(person_id):
    """End every open session of a person."""
    def act(person):
        count = end_sessions(person, "admin")
        audit.record("auth.sessions_ended", "user", person.id, "ok", {"count": count})
        db.session.commit()
        flash(f"已结束 {person.name} 的 {count} 个登录", "ok")
        return _people_panel()
    return _account_action(person_id, act)
