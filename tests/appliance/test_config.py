"""Settings come from defaults, then the instance file, then the environment, then explicit overrides."""
import pytest

from appliance.config import ConfigError, load_config


def test_later_sources_win(tmp_path):
    instance = tmp_path / "box.toml"
    instance.write_text('data_dir = "/srv/box"\ntoken_ttl_minutes = 60\nlog_level = "DEBUG"\n')
    environ = {"SALON_BOX_CONFIG": str(instance), "SALON_BOX_TOKEN_TTL_MINUTES": "30"}
    config = load_config({"LOG_LEVEL": "WARNING"}, environ=environ)
    assert config["DATA_DIR"] == "/srv/box"
    assert config["DATABASE"] == "/srv/box/box.sqlite3"
    assert config["TOKEN_TTL_MINUTES"] == 30
    assert config["LOG_LEVEL"] == "WARNING"


def test_defaults_without_any_file(tmp_path):
    config = load_config(environ={"SALON_BOX_CONFIG": str(tmp_path / "absent.toml")})
    assert config["DATA_DIR"] == "/var/lib/salon-box" and config["SENTRY_DSN"] is None


def test_a_wrong_number_names_the_variable():
    with pytest.raises(ConfigError, match="SALON_BOX_TOKEN_TTL_MINUTES"):
        load_config(environ={"SALON_BOX_TOKEN_TTL_MINUTES": "soon", "SALON_BOX_CONFIG": "/nonexistent"})
