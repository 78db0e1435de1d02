"""The software version the box reports to the API, the cloud and its fleet view (SY6, CO6)."""

SOFTWARE_VERSION = "0.1.0"
