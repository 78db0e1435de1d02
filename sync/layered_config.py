"""Settings in layers, the same way for the box and the cloud: defaults, an instance file (TOML),
environment variables with the program's prefix, then explicit overrides; later layers win.

Nothing is read at import time: each program calls ``load_layered`` from its app factory or CLI.
"""
import os
import tomllib
from pathlib import Path


class ConfigError(ValueError):
    """A setting with a value of the wrong kind; the message names the environment variable."""


def load_layered(defaults: dict, prefix: str, default_file: str, overrides: dict | None = None,
                 environ=None) -> dict:
    """The effective settings. ``{prefix}CONFIG`` names the instance file (``default_file`` if unset;
    an absent file is no layer). A setting whose default is a whole number takes whole numbers only."""
    environ = os.environ if environ is None else environ
    config = dict(defaults)
    instance_file = Path(environ.get(f"{prefix}CONFIG", default_file))
    if instance_file.is_file():
        with instance_file.open("rb") as fh:
            config.update({k.upper(): v for k, v in tomllib.load(fh).items()})
    for key, value in environ.items():
        if key.startswith(prefix) and key != f"{prefix}CONFIG":
            config[key[len(prefix):]] = value
    config.update(overrides or {})
    return {key: _coerced(defaults, prefix, key, value) for key, value in config.items()}


def _coerced(defaults: dict, prefix: str, key: str, value):
    default = defaults.get(key)
    if isinstance(default, int) and not isinstance(default, bool) and isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            raise ConfigError(f"{prefix}{key} must be a whole number, not {value!r}") from None
    return value
