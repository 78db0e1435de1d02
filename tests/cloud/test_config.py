"""The cloud's settings: the same layers as the box's, under SALON_CLOUD_*."""
import pytest

from cloud.config import ConfigError, load_config


def test_file_then_environment_then_overrides(tmp_path):
    instance = tmp_path / "cloud.toml"
    instance.write_text('broker_host = "mqtt.internal"\nbroker_port = 1883\nsession_idle_minutes = 20\n')
    environ = {"SALON_CLOUD_CONFIG": str(instance), "SALON_CLOUD_SESSION_IDLE_MINUTES": "45",
               "SALON_BOX_BROKER_PORT": "1"}  # another program's prefix: not ours
    config = load_config({"LOG_LEVEL": "DEBUG"}, environ=environ)
    assert config["BROKER_HOST"] == "mqtt.internal" and config["BROKER_PORT"] == 1883
    assert config["SESSION_IDLE_MINUTES"] == 45 and config["LOG_LEVEL"] == "DEBUG"
    assert config["DATABASE_URL"].startswith("postgresql://")


def test_a_wrong_number_names_the_variable():
    with pytest.raises(ConfigError, match="SALON_CLOUD_BROKER_PORT must be a whole number, not 'mqtt'"):
        load_config(environ={"SALON_CLOUD_BROKER_PORT": "mqtt", "SALON_CLOUD_CONFIG": "/nonexistent"})
