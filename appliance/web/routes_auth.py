"""Sign-in, sign-out and the language switch."""
from urllib.parse import urlparse

from flask import Blueprint, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from appliance.services.errors import Unauthorized
from appliance.web.i18n import LANGUAGES
from appliance.web.session_auth import check_csrf, end_session, session_actor, start_session
from appliance.storage.models.catalogue import Staff

bp = Blueprint("web_auth", __name__)


def _safe_next(target: str | None) -> str:
    # Only paths on this box: an open redirect would let a link send staff elsewhere.
    if target and target.startswith("/") and not target.startswith("//") and not urlparse(target).netloc:
        return target
    return url_for("journal.day")


@bp.get("/")
def home():
    """The journal is the administrator's start page."""
    return redirect(url_for("journal.day"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The sign-in form."""
    errors, username = {}, ""
    if request.method == "POST":
        check_csrf()
        username = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        if not username:
            errors["username"] = _("Enter your sign-in name.")
        if not password:
            errors["password"] = _("Enter your password.")
        if not errors:
            try:
                start_session(username, password)
                return redirect(_safe_next(request.args.get("next")))
            except Unauthorized:
                errors["password"] = _("Wrong sign-in name or password.")
    expired = session.pop("expired", False)
    status = 422 if errors else 200
    return render_template("login.html", errors=errors, username=username, expired=expired), status


@bp.post("/logout")
def logout():
    """Sign out: the token is revoked at once."""
    check_csrf()
    end_session()
    return redirect(url_for("web_auth.login"))


@bp.post("/language")
def language():
    """Switch the interface language; remembered on the staff member when signed in."""
    check_csrf()
    chosen = request.form.get("locale")
    if chosen in LANGUAGES:
        session["locale"] = chosen
        actor = session_actor()
        if actor is not None:
            staff = Staff.get_by_id(actor.id)
            if staff.locale != chosen:
                staff.locale = chosen
                staff.save()
            g.staff = staff
    return redirect(_safe_next(request.form.get("next")))
