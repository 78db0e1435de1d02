"""Configuration: defaults, then an instance file (TOML), then SALON_BOX_* environment variables."""
import os
import tomllib
from pathlib import Path

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


class ConfigError(ValueError):
    """A setting with a value of the wrong kind."""


def _coerce(key: str, value):
    default = DEFAULTS.get(key)
    if isinstance(default, int) and isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            raise ConfigError(f"{ENV_PREFIX}{key} must be a whole number, not {value!r}") from None
    return value


def load_config(overrides: dict | None = None, environ=None) -> dict:
    """The effective settings; later sources win: defaults, file, environment, ``overrides``."""
    environ = os.environ if environ is None else environ
    config = dict(DEFAULTS)
    instance_file = Path(environ.get(f"{ENV_PREFIX}CONFIG", DEFAULT_INSTANCE_FILE))
    if instance_file.is_file():
        with instance_file.open("rb") as fh:
            config.update({k.upper(): v for k, v in tomllib.load(fh).items()})
    for key, value in environ.items():
        if key.startswith(ENV_PREFIX) and key != f"{ENV_PREFIX}CONFIG":
            config[key[len(ENV_PREFIX):]] = value
    config.update(overrides or {})
    config = {k: _coerce(k, v) for k, v in config.items()}
    if not config.get("DATABASE"):
        config["DATABASE"] = str(Path(config["DATA_DIR"]) / "box.sqlite3")
    return config
