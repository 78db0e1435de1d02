"""Signing in to the head-office pages: a server-side session per browser, idle timeout, CSRF, role checks.

Every view is decorated with ``page(permission)`` (signed-in user whose role
has the permission) or ``public`` (sign-in, sign-out, language); a test walks
the URL map to make sure no view has neither.
"""
import functools
import secrets
from datetime import timedelta

from flask import abort, current_app, g, redirect, request, session, url_for

from cloud.services import sessions
from cloud.services.access import allowed
from cloud.storage.users import HeadOfficeUser

PERMISSION_ATTR = "required_permission"


def csrf_token() -> str:
    """The session's anti-forgery token, for every form."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return session["csrf"]


def check_csrf() -> None:
    """Refuse a state-changing request that does not carry the session's token."""
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
    if not sent or not secrets.compare_digest(sent, session.get("csrf", "")):
        abort(400, description="csrf")


def sign_in(user: HeadOfficeUser) -> None:
    """Start a new session for ``user`` (a fresh cookie: a token planted before sign-in is never reused)."""
    token = sessions.start_session(user)
    session.clear()
    session.update(sid=token, csrf=secrets.token_urlsafe(24), locale=user.locale)
    session.permanent = True


def sign_out() -> None:
    """End the session on the server and forget it in the browser (the language choice stays)."""
    if session.get("sid"):
        sessions.end_session(session["sid"])
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale


def session_user() -> HeadOfficeUser | None:
    """The user of this browser's session, or None (never signed in, signed out, idle too long, deactivated)."""
    if "user" in g:
        return g.user
    token = session.get("sid")
    user = None
    if token:
        config = current_app.config
        user, why = sessions.resume_session(token, timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
                                            timedelta(hours=config["SESSION_LIFETIME_HOURS"]))
        if user is None:
            sign_out()
            session["expired"] = why in ("idle", "lifetime")
    g.user = user
    return user


def current_token_hash() -> str | None:
    """The stored form of this browser's session token (to keep it when the user changes their password)."""
    return sessions.token_hash(session["sid"]) if session.get("sid") else None


def page(permission: str):
    """Decorate a view: a signed-in user whose role has ``permission``; 403 otherwise; CSRF on every POST."""
    def decorate(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            user = session_user()
            if user is None:
                return redirect(url_for("web_auth.login", next=request.full_path.rstrip("?")))
            if not allowed(user.role, permission):
                abort(403)
            if request.method not in ("GET", "HEAD"):
                check_csrf()
            return view(*args, **kwargs)
        setattr(wrapped, PERMISSION_ATTR, permission)
        return wrapped
    return decorate


def public(view):
    """Mark a view that needs no sign-in (it still checks CSRF itself on POST)."""
    setattr(view, PERMISSION_ATTR, None)
    return view


def can(permission: str) -> bool:
    """For templates: whether the signed-in user may do this (links and buttons are shown accordingly)."""
    user = getattr(g, "user", None)
    return user is not None and allowed(user.role, permission)
