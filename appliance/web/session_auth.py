"""Signing in to the web interface: a session cookie holding an API token, idle timeout, CSRF."""
import functools
import secrets
import time
from datetime import timedelta

from flask import abort, current_app, g, redirect, request, session, url_for

from appliance.domain.permissions import allowed
from appliance.services import auth
from appliance.services.context import SalonContext
from appliance.services.errors import Unauthorized
from appliance.storage.models.catalogue import Staff


def start_session(username: str, password: str) -> Staff:
    """Check the password and remember the new token in the session; Unauthorized if wrong."""
    ttl = timedelta(minutes=current_app.config["TOKEN_TTL_MINUTES"])
    staff, issued = auth.login(username, password, ttl)
    locale = session.get("locale")
    session.clear()
    session.update(token=issued.token, csrf=secrets.token_urlsafe(24), seen=time.time())
    if locale:
        session["locale"] = locale
    session.permanent = True
    return staff


def end_session() -> None:
    """Revoke the session's token and forget it."""
    if session.get("token"):
        auth.logout(session["token"])
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale


def session_actor():
    """The actor of the session's token, or None (expired, idle too long, revoked)."""
    token = session.get("token")
    if not token:
        return None
    idle_limit = current_app.config["SESSION_IDLE_MINUTES"] * 60
    if time.time() - session.get("seen", 0) > idle_limit:
        end_session()
        session["expired"] = True
        return None
    try:
        actor = auth.actor_for_token(token)
    except Unauthorized:
        end_session()
        return None
    session["seen"] = time.time()
    return actor if actor.kind == "staff" else None


def csrf_token() -> str:
    """The session's anti-forgery token (one per session), for forms and fetch()."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return session["csrf"]


def check_csrf() -> None:
    """Refuse a state-changing request that does not carry the session's token."""
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token")
    if not sent or not secrets.compare_digest(sent, session.get("csrf", "")):
        abort(400, description="the form has expired; reload the page and try again")


def page(permission: str):
    """Decorate a page view: signed-in staff with ``permission``; sets g.actor, g.staff, g.salon_ctx."""
    def decorate(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            actor = session_actor()
            if actor is None:
                return redirect(url_for("web_auth.login", next=request.full_path.rstrip("?")))
            g.actor, g.staff = actor, Staff.get_by_id(actor.id)
            g.salon_ctx = SalonContext.load()
            if not allowed(actor.role, permission):
                abort(403)
            if request.method not in ("GET", "HEAD"):
                check_csrf()
            return view(*args, **kwargs)
        return wrapped
    return decorate
