"""Box <-> cloud sync over MQTT, shared by the box and the cloud."""
