"""Admin pages for windows, departments, people and halls (all under /admin/)."""
from flask import flash, redirect, request, url_for
from flask_login import current_user

from ..access import roles
from ..audit import service as audit
from ..extensions import db
from ..forms import ConfirmForm
from ..htmx import render, wants_fragment
from ..once import once
from ..pdf import pdf_response
from ..records import hall_record
from ..roles import Role
from . import bp, service
from .forms import NONE, DepartmentForm, HallForm, WindowForm
from .helpers import commit_or_error
from .models import Department, Hall, Window


@bp.route("/")
@roles(Role.ADMIN)
def index():
    """Send the admin to their home, where the admin pages are listed."""
    return redirect(url_for("home.index"))


def _saved(endpoint: str, message: str, **panel):
    """After a save: the refreshed panel for htmx, a redirect for a plain form post."""
    flash(message, "ok")
    if wants_fragment():
        response = panel["render"]()
        response.headers["HX-Push-Url"] = url_for(endpoint)
        return response
    return redirect(url_for(endpoint))


# --- windows ----------------------------------------------------------------------

def _window_choices(form: WindowForm):
    hall = current_user.hall_id
    form.department_id.choices = [(d.id, d.name) for d in service.departments(hall, "window_unit", True)]
    staff = [(p.id, f"{p.name}（{p.department.name if p.department else '未分部门'}）")
             for p in service.people(hall, active_only=True)]
    form.a_post_id.choices = form.b_post_id.choices = [(NONE, "（无）")] + staff
    form.zone_office_id.choices = [(NONE, "（无）")] + [
        (d.id, d.name) for d in service.departments(hall, "center_office", True)]


def _windows_panel(form=None, editing=None, status=200):
    show_all = request.args.get("all") == "1"
    return render("org/windows.html", "org/_windows.html", status=status, form=form, editing=editing,
                  windows=service.windows(current_user.hall_id, active_only=not show_all),
                  show_all=show_all)


@bp.route("/windows")
@roles(Role.ADMIN)
def windows():
    """Show the hall's windows as a grid by number."""
    return _windows_panel()


@bp.route("/windows/new", methods=["GET", "POST"])
@roles(Role.ADMIN)
@once
def window_new():
    """Add a window."""
    form = WindowForm()
    _window_choices(form)
    if form.validate_on_submit():
        window = Window(hall_id=current_user.hall_id)
        _fill_window(window, form)
        db.session.add(window)
        if commit_or_error(form, "number", "这个窗口编号已经存在"):
            return _saved("org.windows", f"已添加 {window.number} 号窗口", render=_windows_panel)
    return _windows_panel(form=form, status=422 if form.errors else 200)


@bp.route("/windows/<int:window_id>/edit", methods=["GET", "POST"])
@roles(Role.ADMIN)
def window_edit(window_id):
    """Change a window's number, name, department, posts or zone office."""
    window = hall_record(Window, window_id)
    form = WindowForm(obj=window if request.method == "GET" else None)
    _window_choices(form)
    if request.method == "GET":
        for f in (form.a_post_id, form.b_post_id, form.zone_office_id):
            f.data = f.data or NONE
    if form.validate_on_submit():
        _fill_window(window, form)
        if commit_or_error(form, "number", "这个窗口编号已经存在"):
            return _saved("org.windows", f"已保存 {window.number} 号窗口", render=_windows_panel)
    return _windows_panel(form=form, editing=window, status=422 if form.errors else 200)


def _fill_window(window: Window, form: WindowForm) -> None:
    window.number, window.name = form.number.data, form.name.data.strip()
    window.department_id = form.department_id.data
    window.a_post_id = form.a_post_id.data or None
    window.b_post_id = form.b_post_id.data or None
    window.zone_office_id = form.zone_office_id.data or None


@bp.route("/windows/<int:window_id>/active", methods=["POST"])
@roles(Role.ADMIN)
def window_toggle(window_id):
    """Deactivate a window, or bring it back."""
    window = hall_record(Window, window_id)
    if ConfirmForm().validate_on_submit():
        window.active = not window.active
        db.session.commit()
        state = "启用" if window.active else "停用"
        return _saved("org.windows", f"已{state} {window.number} 号窗口", render=_windows_panel)
    return _windows_panel(status=400)


# --- departments --------------------------------------------------------------------

def _departments_panel(form=None, editing=None, status=200):
    return render("org/departments.html", "org/_departments.html", status=status, form=form,
                  editing=editing, departments=service.departments(current_user.hall_id))


@bp.route("/departments")
@roles(Role.ADMIN)
def departments():
    """List window units and center offices."""
    return _departments_panel()


@bp.route("/departments/new", methods=["GET", "POST"])
@roles(Role.ADMIN)
@once
def department_new():
    """Add a department."""
    form = DepartmentForm()
    if form.validate_on_submit():
        dept = Department(hall_id=current_user.hall_id)
        form.populate_obj(dept)
        dept.name = dept.name.strip()
        db.session.add(dept)
        if commit_or_error(form, "name", "已有同名部门"):
            return _saved("org.departments", f"已添加 {dept.name}", render=_departments_panel)
    return _departments_panel(form=form, status=422 if form.errors else 200)


@bp.route("/departments/<int:dept_id>/edit", methods=["GET", "POST"])
@roles(Role.ADMIN)
def department_edit(dept_id):
    """Change a department."""
    dept = hall_record(Department, dept_id)
    form = DepartmentForm(obj=dept if request.method == "GET" else None)
    if form.validate_on_submit():
        form.populate_obj(dept)
        dept.name = dept.name.strip()
        if commit_or_error(form, "name", "已有同名部门"):
            return _saved("org.departments", f"已保存 {dept.name}", render=_departments_panel)
    return _departments_panel(form=form, editing=dept, status=422 if form.errors else 200)


@bp.route("/departments/<int:dept_id>/active", methods=["POST"])
@roles(Role.ADMIN)
def department_toggle(dept_id):
    """Deactivate a department, or bring it back."""
    dept = hall_record(Department, dept_id)
    if ConfirmForm().validate_on_submit():
        dept.active = not dept.active
        db.session.commit()
        return _saved("org.departments", f"已{'启用' if dept.active else '停用'} {dept.name}",
                      render=_departments_panel)
    return _departments_panel(status=400)


# --- halls ----------------------------------------------------------------------------

def _halls_panel(form=None, editing=None, status=200):
    return render("org/halls.html", "org/_halls.html", status=status, form=form, editing=editing,
                  halls=service.halls_under(current_user.hall_id))


def _hall_choices(form: HallForm, editing: Hall | None = None):
    form.parent_id.choices = [(NONE, "（无）")] + [
        (h.id, h.name) for h in service.halls_under(current_user.hall_id) if h is not editing]


@bp.route("/halls")
@roles(Role.ADMIN)
def halls():
    """List this hall and the stations under it."""
    return _halls_panel()


@bp.route("/halls/new", methods=["GET", "POST"])
@roles(Role.ADMIN)
@once
def hall_new():
    """Add a station under this hall."""
    form = HallForm()
    _hall_choices(form)
    if request.method == "GET":
        form.parent_id.data = current_user.hall_id
    if form.validate_on_submit():
        if not form.parent_id.data:
            form.parent_id.errors.append("新增的大厅须挂在本大厅或其下级之下")
        else:
            hall = Hall()
            form.populate_obj(hall)
            service.add_hall(hall)
            db.session.commit()
            return _saved("org.halls", f"已添加 {hall.name}", render=_halls_panel)
    return _halls_panel(form=form, status=422 if form.errors else 200)


@bp.route("/halls/<int:hall_id>/edit", methods=["GET", "POST"])
@roles(Role.ADMIN)
def hall_edit(hall_id):
    """Change a hall's name, level, parent or contact details."""
    hall = next((h for h in service.halls_under(current_user.hall_id) if h.id == hall_id), None)
    if hall is None:
        return _halls_panel(status=404)
    form = HallForm(obj=hall if request.method == "GET" else None)
    _hall_choices(form, hall)
    if request.method == "GET":
        form.parent_id.data = hall.parent_id or NONE
    if form.validate_on_submit():
        root = hall.id == current_user.hall_id
        below = {h.id for h in service.halls_under(hall.id)}
        if root and form.parent_id.data:
            form.parent_id.errors.append("本大厅的上级不能在这里更改")
        elif not root and not form.parent_id.data:
            form.parent_id.errors.append("下级大厅须选择上级大厅")
        elif not root and form.parent_id.data in below:
            form.parent_id.errors.append("不能把大厅挂到它自己的下级之下")
        else:
            parent = hall.parent_id
            form.populate_obj(hall)
            hall.parent_id = parent if root else form.parent_id.data
            db.session.commit()
            return _saved("org.halls", f"已保存 {hall.name}", render=_halls_panel)
    return _halls_panel(form=form, editing=hall, status=422 if form.errors else 200)


# --- the roster PDF -------------------------------------------------------------------

@bp.route("/roster.pdf")
@roles(Role.ADMIN)
def roster_pdf():
    """Print the hall's window and staff roster (窗口人员一览表)."""
    hall = service.hall_of(current_user)
    audit.record("export.roster_pdf", "hall", hall.id)
    db.session.commit()
    return pdf_response("pdf/roster.html", "窗口人员一览表.pdf", hall=hall,
                        windows=service.windows(hall.id),
                        departments=service.departments(hall.id, active_only=True))

