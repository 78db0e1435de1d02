"""The cloud's MQTT broker: its production configuration and the provisioning of salon boxes on it."""
