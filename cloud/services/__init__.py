"""Use cases of the cloud service: no Flask, no MQTT."""
