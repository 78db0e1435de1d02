"""Cloud configuration: defaults, then an instance file (TOML), then SALON_CLOUD_* environment variables."""
import os
import tomllib
from pathlib import Path

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
    for key, default in DEFAULTS.items():
        if isinstance(default, int) and isinstance(config.get(key), str):
            config[key] = int(config[key])
    return config
