"""Tests of the cloud's MQTT broker: its production configuration, ACL and provisioning."""
