"""The box's Flask application factory."""
import logging
from pathlib import Path

from flask import Flask

from appliance.api.errors import register_error_handlers
from appliance.api.routes_bookings import bp as bookings_bp
from appliance.api.routes_catalogue import bp as catalogue_bp
from appliance.api.routes_clients import bp as clients_bp
from appliance.api.routes_schedules import bp as schedules_bp
from appliance.api.routes_staff import bp as staff_bp
from appliance.api.routes_system import bp as system_bp
from appliance.config import load_config
from appliance.storage.database import open_database

API_PREFIX = "/api/v1"


def create_app(config: dict | None = None) -> Flask:
    """Build the box's WSGI app; ``config`` overrides every other source of settings."""
    app = Flask(__name__)
    settings = load_config(config)
    app.config.update(settings)
    logging.basicConfig(level=settings["LOG_LEVEL"])
    _init_sentry(settings.get("SENTRY_DSN"))
    Path(settings["DATABASE"]).parent.mkdir(parents=True, exist_ok=True)
    db = open_database(settings["DATABASE"])

    @app.before_request
    def connect():
        db.connect(reuse_if_open=True)

    @app.teardown_request
    def close(exc):
        if not db.is_closed():
            db.close()

    for blueprint in (system_bp, catalogue_bp, staff_bp, clients_bp, schedules_bp, bookings_bp):
        app.register_blueprint(blueprint, url_prefix=API_PREFIX)
    register_error_handlers(app)
    return app


def _init_sentry(dsn: str | None) -> None:
    """Error reporting only when a DSN is configured (PL8)."""
    if not dsn:
        return
    import sentry_sdk

    sentry_sdk.init(dsn=dsn, send_default_pii=False)
