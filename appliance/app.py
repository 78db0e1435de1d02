"""The box's Flask application factory."""
import logging
from datetime import timedelta
from pathlib import Path

from flask import Flask, g

from appliance.api.errors import register_error_handlers
from appliance.api.routes_bookings import bp as bookings_bp
from appliance.api.routes_cash import bp as cash_bp
from appliance.api.routes_checkout import bp as checkout_bp
from appliance.api.routes_catalogue import bp as catalogue_bp
from appliance.api.routes_clients import bp as clients_bp
from appliance.api.routes_schedules import bp as schedules_bp
from appliance.api.routes_staff import bp as staff_bp
from appliance.api.routes_stock import bp as stock_bp
from appliance.api.routes_sync import bp as sync_bp
from appliance.api.routes_system import bp as system_bp
from appliance.api.routes_time_clock import bp as time_clock_bp
from appliance.config import load_config
from appliance.domain.permissions import allowed
from appliance.storage.database import open_database
from appliance.storage.secrets import stored_secret
from appliance.web.i18n import init_babel
from appliance.web.routes_auth import bp as web_auth_bp
from appliance.web.routes_cards import bp as web_cards_bp
from appliance.web.routes_cash import bp as web_cash_bp
from appliance.web.routes_checkout import bp as web_checkout_bp
from appliance.web.routes_refunds import bp as web_refunds_bp
from appliance.web.routes_time_clock import bp as web_time_clock_bp
from appliance.web.routes_catalogue import bp as web_catalogue_bp
from appliance.web.routes_clients import bp as web_clients_bp
from appliance.web.routes_journal import bp as web_journal_bp
from appliance.web.routes_kiosks import bp as web_kiosks_bp
from appliance.web.routes_schedules import bp as web_schedules_bp
from appliance.web.routes_stock import bp as web_stock_bp
from appliance.web.routes_stock_reports import bp as web_stock_reports_bp
from appliance.web.routes_stock_admin import bp as web_stock_admin_bp
from appliance.web.routes_stock_admin import stock_alerts
from appliance.web.routes_sync import attention_count
from appliance.web.routes_sync import bp as web_sync_bp
from appliance.web.routes_devices import bp as web_devices_bp
from appliance.web.session_auth import csrf_token
from kiosk_ui.routes import KIOSK_TRANSLATIONS
from kiosk_ui.routes import bp as kiosk_bp

API_PREFIX = "/api/v1"


def create_app(config: dict | None = None) -> Flask:
    """Build the box's WSGI app; ``config`` overrides every other source of settings."""
    app = Flask(__name__, static_folder="web/static", template_folder="web/templates")
    settings = load_config(config)
    app.config.update(settings)
    logging.basicConfig(level=settings["LOG_LEVEL"])
    _init_sentry(settings.get("SENTRY_DSN"))
    Path(settings["DATABASE"]).parent.mkdir(parents=True, exist_ok=True)
    db = open_database(settings["DATABASE"])

    @app.before_request
    def connect():
        # One connection per worker thread (peewee keeps them thread-local), kept open:
        # reconnecting (with its pragmas) per request was a measurable share of every call.
        db.connect(reuse_if_open=True)

    @app.teardown_request
    def end_transaction(exc):
        if db.in_transaction():
            db.rollback()

    for blueprint in (system_bp, catalogue_bp, staff_bp, clients_bp, schedules_bp, bookings_bp, sync_bp):
        app.register_blueprint(blueprint, url_prefix=API_PREFIX)
    app.register_blueprint(time_clock_bp, url_prefix=API_PREFIX)
    app.register_blueprint(checkout_bp, url_prefix=API_PREFIX)
    app.register_blueprint(cash_bp, url_prefix=API_PREFIX)
    app.register_blueprint(stock_bp, url_prefix=API_PREFIX)
    register_error_handlers(app)
    _init_web(app, settings)
    return app


def _init_web(app: Flask, settings: dict) -> None:
    """Sessions, languages and the administrator's pages."""
    app.secret_key = settings["SECRET_KEY"] or stored_secret(Path(settings["DATA_DIR"]) / "secret_key")
    app.config.update(SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_NAME="salon_box_session",
                      PERMANENT_SESSION_LIFETIME=timedelta(minutes=settings["TOKEN_TTL_MINUTES"]))
    init_babel(app, (KIOSK_TRANSLATIONS,))
    app.jinja_env.globals.update(csrf_token=csrf_token, can=_can, attention_count=attention_count,
                                 stock_alerts=stock_alerts)
    for blueprint in (web_auth_bp, web_journal_bp, web_clients_bp, web_schedules_bp, web_catalogue_bp, web_sync_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(web_time_clock_bp)
    app.register_blueprint(web_cards_bp)
    app.register_blueprint(web_kiosks_bp)
    app.register_blueprint(web_devices_bp)
    app.register_blueprint(web_checkout_bp)
    app.register_blueprint(web_refunds_bp)
    app.register_blueprint(web_cash_bp)
    app.register_blueprint(web_stock_bp)
    app.register_blueprint(web_stock_reports_bp)
    app.register_blueprint(web_stock_admin_bp)
    app.register_blueprint(kiosk_bp)


def _can(permission: str) -> bool:
    actor = getattr(g, "actor", None)
    return actor is not None and allowed(actor.role, permission)


def _init_sentry(dsn: str | None) -> None:
    """Error reporting only when a DSN is configured (PL8)."""
    if not dsn:
        return
    import sentry_sdk

    sentry_sdk.init(dsn=dsn, send_default_pii=False)
