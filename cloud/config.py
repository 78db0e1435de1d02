"""Cloud configuration: defaults, then an instance file (TOML), then SALON_CLOUD_* environment variables."""
from sync.layered_config import ConfigError, load_layered  # noqa: F401 (ConfigError: callers catch it here)

ENV_PREFIX = "SALON_CLOUD_"
DEFAULT_INSTANCE_FILE = "/etc/salon-cloud/cloud.toml"

DEFAULTS = {
    "DATABASE_URL": "postgresql://salon_cloud@127.0.0.1:5432/salon_cloud",
    "BROKER_HOST": "127.0.0.1",
    "BROKER_PORT": 8883,
    "BROKER_USERNAME": "cloud-ingest",
    "BROKER_PASSWORD": None,
    "BROKER_CA_FILE": None,
    "WORKER_NAME": None,  # default: the host name and process id
    "SECRET_KEY": None,
    "SESSION_IDLE_MINUTES": 30,
    "SESSION_LIFETIME_HOURS": 12,  # a session ends this long after sign-in, however busy
    "COOKIE_SECURE": "1",  # the session cookie only over HTTPS; "0" for plain-HTTP trials on loopback
    "SENTRY_DSN": None,
    "LOG_LEVEL": "INFO",
}


def load_config(overrides: dict | None = None, environ=None) -> dict:
    """The effective settings; later sources win: defaults, file, environment, ``overrides``."""
    return load_layered(DEFAULTS, ENV_PREFIX, DEFAULT_INSTANCE_FILE, overrides, environ)
