"""Configuration: defaults, then an instance file (TOML), then SALON_BOX_* environment variables."""
from pathlib import Path

from sync.layered_config import ConfigError, load_layered  # noqa: F401 (ConfigError: callers catch it here)

ENV_PREFIX = "SALON_BOX_"
DEFAULT_INSTANCE_FILE = "/etc/salon-box/box.toml"

DEFAULTS = {
    "DATA_DIR": "/var/lib/salon-box",
    "DATABASE": None,  # default: DATA_DIR/box.sqlite3
    "TOKEN_TTL_MINUTES": 12 * 60,
    "SESSION_IDLE_MINUTES": 30,
    "SECRET_KEY": None,  # default: generated once into DATA_DIR/secret_key
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    "SENTRY_DSN": None,
    "LOG_LEVEL": "INFO",
    # The link to head office (salon-box sync); the box works without it.
    "SYNC_BROKER_HOST": None,
    "SYNC_BROKER_PORT": 8883,
    "SYNC_BOX_ID": None,
    "SYNC_PASSWORD": None,
    "SYNC_CA_FILE": None,
    # Changes per second at most when catching up after being offline: a box back from days
    # without internet must not flood the broker and the cloud's workers.
    "SYNC_PACE_PER_S": 20000,
    # What `salon-box prune` (the daily salon-box-prune.timer) keeps, in days: change-log entries the
    # cloud has acked, raw card taps (their time punches stay), expired or revoked sign-in tokens,
    # printed or cancelled print jobs.
    "CHANGE_LOG_KEEP_DAYS": 90,
    "CARD_TAP_KEEP_DAYS": 400,
    "TOKEN_KEEP_DAYS": 30,
    "PRINT_JOB_KEEP_DAYS": 60,
}


def load_config(overrides: dict | None = None, environ=None) -> dict:
    """The effective settings; later sources win: defaults, file, environment, ``overrides``."""
    config = load_layered(DEFAULTS, ENV_PREFIX, DEFAULT_INSTANCE_FILE, overrides, environ)
    if not config.get("DATABASE"):
        config["DATABASE"] = str(Path(config["DATA_DIR"]) / "box.sqlite3")
    return config
