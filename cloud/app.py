"""The cloud's Flask application factory: head office's pages (CO1, CO6, SY2, SY3, PL1, PL2, PL5).

Served by gunicorn (cloud/gunicorn_conf.py), never by Flask's own server.
"""
import logging
import secrets
from datetime import timedelta

from flask import Flask, Response, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, InternalServerError

from cloud.config import load_config
from cloud.storage.database import open_database
from cloud.storage.users import AppSecret
from cloud.web.i18n import init_babel
from cloud.web.routes_auth import bp as auth_bp
from cloud.web.routes_fleet import bp as fleet_bp
from cloud.web.routes_masterdata import bp as masterdata_bp
from cloud.web.routes_users import bp as users_bp
from cloud.web.session_auth import can, csrf_token

# Everything the pages use comes from this server: no CDN, no inline script.
CONTENT_SECURITY_POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                           "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
SESSION_KEY_NAME = "session_key"
log = logging.getLogger(__name__)


def create_app(config: dict | None = None) -> Flask:
    """Build the cloud's WSGI app; ``config`` overrides every other source of settings."""
    app = Flask(__name__, static_folder="web/static", template_folder="web/templates")
    settings = load_config(config)
    app.config.update(settings)
    logging.basicConfig(level=settings["LOG_LEVEL"])
    _init_sentry(settings.get("SENTRY_DSN"))
    db = open_database(settings["DATABASE_URL"])

    @app.before_request
    def connect():
        if request.endpoint != "static":  # the stylesheet needs no database
            db.connect(reuse_if_open=True)

    @app.teardown_request
    def disconnect(exc):
        # A connection per request: a PostgreSQL restart or a dropped connection
        # then costs one failed request, not every request of a worker.
        if db.in_transaction():
            db.rollback()
        if not db.is_closed():
            db.close()

    app.after_request(_security_headers)
    app.secret_key = settings["SECRET_KEY"] or _shared_secret(db)
    app.config.update(SESSION_COOKIE_NAME="salon_cloud_session", SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SECURE=_flag(settings.get("COOKIE_SECURE")),
                      PERMANENT_SESSION_LIFETIME=timedelta(hours=settings["SESSION_LIFETIME_HOURS"]),
                      MAX_CONTENT_LENGTH=settings.get("MAX_CONTENT_LENGTH") or 1024 * 1024)
    init_babel(app)
    app.jinja_env.globals.update(csrf_token=csrf_token, can=can)
    for blueprint in (auth_bp, fleet_bp, masterdata_bp, users_bp):
        app.register_blueprint(blueprint)
    _error_pages(app)
    return app


def _flag(value) -> bool:
    return value is True or str(value).strip().lower() in ("1", "true", "yes", "on")


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if not request.path.startswith("/static/"):
        response.headers.setdefault("Cache-Control", "no-store")  # pages show the business's data
    return response


def _shared_secret(db) -> str:
    """The session-signing key when SECRET_KEY is not configured: made once, kept in the database.

    Every gunicorn worker (and every server of the cloud) must sign cookies
    with the same key; the first to start inserts one, the others read it.
    """
    with db.connection_context():
        AppSecret.insert(name=SESSION_KEY_NAME, value=secrets.token_urlsafe(48)).on_conflict_ignore().execute()
        return AppSecret.get_by_id(SESSION_KEY_NAME).value


def _error_message(status: int, description: str | None) -> str:
    if status == 400 and description == "csrf":
        return _("The form has expired; reload the page and try again.")
    if status == 413:
        return _("What was sent is too large.")
    return ""


def _error_pages(app: Flask) -> None:
    """HTTP errors and anything unexpected as a readable page in the user's language, never a stack trace."""

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        response = app.make_response((render_template("error.html", status=status,
                                                      message=_error_message(status, exc.description)), status))
        if status == 405 and exc.valid_methods:
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        if isinstance(exc, HTTPException):
            return http_error(exc)
        if app.testing:
            raise exc  # tests see the real failure, not the page
        log.exception("unhandled error")
        return http_error(InternalServerError())


def _init_sentry(dsn: str | None) -> None:
    """Error reporting only when a DSN is configured (PL8)."""
    if not dsn:
        return
    import sentry_sdk

    sentry_sdk.init(dsn=dsn, send_default_pii=False)
