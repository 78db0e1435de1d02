"""Head-office users and the audit log (PL1, PL3): the owner adds people, sets roles and passwords."""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from cloud.services import access, users
from cloud.services.errors import NotFound, ServiceError
from cloud.services.access import ROLES
from cloud.web.forms import Form
from cloud.web.session_auth import page

bp = Blueprint("web_users", __name__)
AUDIT_PAGE = 100


def _form_page(form: Form, user=None, password_form: Form | None = None, status: int = 200):
    return render_template("user_form.html", form=form, user=user, password_form=password_form or Form(),
                           roles=ROLES, zones=sorted(users.time_zones())), status


@bp.get("/users")
@page("users.manage")
def index():
    """Everyone who can sign in to head office, with role, language, zone and last sign-in."""
    return render_template("users.html", users=users.list_users())


@bp.route("/users/new", methods=["GET", "POST"])
@page("users.manage")
def new():
    """Add a head-office user with a first password (they change it on their account page)."""
    if request.method == "GET":
        return _form_page(Form({"role": "head_office", "locale": g.user.locale, "timezone": g.user.timezone}))
    form = Form.posted(request)
    if str(form.values.get("password", "")) != str(form.values.get("repeat", "")):
        form.error("repeat", _("The two passwords differ."))
        return _form_page(form, status=422)
    try:
        user = users.create_user(g.user, {**form.values, "password": form.values.get("password", "")})
    except ServiceError as exc:
        form.refused(exc)
        return _form_page(form, status=422)
    flash(_("%(name)s can sign in now.", name=user.username), "success")
    return redirect(url_for("web_users.index"))


@bp.route("/users/<user_id>", methods=["GET", "POST"])
@page("users.manage")
def edit(user_id: str):
    """Change a user's name, role, language, zone, or deactivate them (their sessions end at once)."""
    try:
        user = users.get_user(user_id)
    except NotFound:
        abort(404)
    if request.method == "GET":
        return _form_page(Form({"full_name": user.full_name, "role": user.role, "locale": user.locale,
                                "timezone": user.timezone, "active": "1" if user.active else ""}), user)
    form = Form.posted(request)
    try:
        users.update_user(g.user, user_id, {**form.values, "active": form.flag("active")})
    except ServiceError as exc:
        form.refused(exc)
        return _form_page(form, user, status=422)
    flash(_("%(name)s is saved.", name=user.username), "success")
    return redirect(url_for("web_users.index"))


@bp.post("/users/<user_id>/password")
@page("users.manage")
def password(user_id: str):
    """Give a user a new password; their sessions end."""
    try:
        user = users.get_user(user_id)
    except NotFound:
        abort(404)
    form = Form.posted(request)
    if str(form.values.get("password", "")) != str(form.values.get("repeat", "")):
        form.error("repeat", _("The two passwords differ."))
    else:
        try:
            users.set_password(g.user, user_id, str(form.values.get("password", "")))
            flash(_("The password of %(name)s is changed; their sessions have ended.", name=user.username),
                  "success")
            return redirect(url_for("web_users.index"))
        except ServiceError as exc:
            form.refused(exc)
    profile_form = Form({"full_name": user.full_name, "role": user.role, "locale": user.locale,
                         "timezone": user.timezone, "active": "1" if user.active else ""})
    return _form_page(profile_form, user, form, 422)


@bp.get("/audit")
@page("audit.view")
def audit_log():
    """Who changed users, permissions, boxes or master data, what and when; newest first."""
    number = request.args.get("page", "1")
    number = max(1, min(int(number), 100_000)) if number.isdigit() else 1
    entries, total = access.recent(AUDIT_PAGE, (number - 1) * AUDIT_PAGE)
    return render_template("audit.html", entries=entries, total=total, page=number, page_size=AUDIT_PAGE)
