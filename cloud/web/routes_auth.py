"""Sign-in, sign-out, the language switch and one's own account (password, time zone)."""
from urllib.parse import urlparse

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from cloud.services import users
from cloud.services.errors import ServiceError
from cloud.services.users import LANGUAGES
from cloud.web.forms import Form, reason_text
from cloud.web.session_auth import (
    check_csrf, current_token_hash, page, public, session_user, sign_in, sign_out,
)

bp = Blueprint("web_auth", __name__)


def _safe_next(target: str | None) -> str:
    # Only paths on this site: an open redirect would let a link send people elsewhere after sign-in.
    if target and target.startswith("/") and not target.startswith("//") and not urlparse(target).netloc \
            and "\\" not in target:
        return target
    return url_for("web_fleet.fleet")


@bp.get("/")
@page("fleet.view")
def home():
    """The fleet is head office's start page."""
    return redirect(url_for("web_fleet.fleet"))


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """The sign-in form."""
    if request.method == "GET" and session_user() is not None:
        return redirect(_safe_next(request.args.get("next")))
    form = Form.posted(request) if request.method == "POST" else Form()
    if request.method == "POST":
        check_csrf()
        username, password = form.raw("username"), str(form.values.get("password", ""))
        if not username:
            form.error("username", _("Enter your sign-in name."))
        if not password:
            form.error("password", _("Enter your password."))
        if form.ok:
            user = users.authenticate(username, password)
            if user is not None:
                sign_in(user)
                return redirect(_safe_next(request.args.get("next")))
            form.error("password", _("Wrong sign-in name or password."))
    expired = session.pop("expired", False)
    return render_template("login.html", form=form, expired=expired), 422 if form.errors else 200


@bp.post("/logout")
@public
def logout():
    """Sign out: the session ends on the server at once."""
    check_csrf()
    sign_out()
    return redirect(url_for("web_auth.login"))


@bp.post("/language")
@public
def language():
    """Switch the interface language; remembered on the user when signed in."""
    check_csrf()
    chosen = request.form.get("locale")
    if chosen in LANGUAGES:
        session["locale"] = chosen
        user = session_user()
        if user is not None:
            users.set_own_preferences(user, locale=chosen)
    return redirect(_safe_next(request.form.get("next")))


@bp.route("/account", methods=["GET", "POST"])
@page("account.own")
def account():
    """One's own time zone and password."""
    zone_form, password_form = Form({"timezone": g.user.timezone}), Form()
    status = 200
    if request.method == "POST" and request.form.get("action") == "timezone":
        zone_form = Form.posted(request)
        try:
            users.set_own_preferences(g.user, timezone=zone_form.raw("timezone"))
            flash(_("Your time zone is saved."), "success")
            return redirect(url_for("web_auth.account"))
        except ServiceError as exc:
            zone_form.refused(exc)
    elif request.method == "POST":
        password_form = Form.posted(request)
        if _change_password(password_form):
            flash(_("Your password is changed. Your other sessions have ended."), "success")
            return redirect(url_for("web_auth.account"))
    if zone_form.errors or password_form.errors:
        status = 422
    return render_template("account.html", zone_form=zone_form, password_form=password_form,
                           zones=sorted(users.time_zones())), status


def _change_password(form: Form) -> bool:
    current, new = str(form.values.get("current", "")), str(form.values.get("password", ""))
    if not users.check_password(g.user, current):
        form.error("current", reason_text("password_wrong"))
    if new != str(form.values.get("repeat", "")):
        form.error("repeat", reason_text("passwords_differ"))
    if not form.ok:
        return False
    try:
        users.set_password(g.user, g.user.id, new, keep_session=current_token_hash())
    except ServiceError as exc:
        form.refused(exc)
        return False
    return True
