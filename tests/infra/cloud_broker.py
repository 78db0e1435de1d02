"""The production broker for tests: ``cloud/broker/mosquitto.conf`` run privately, with its admin connection.

The configuration file is the one an operator installs; only its listener and paths are moved into
a temporary folder (see :mod:`tests.infra.mosquitto`). The dynamic-security plugin starts from
:func:`cloud.broker.provisioning.initial_config`, the ``cloud-ingest`` user is provisioned through
the admin API, and boxes are provisioned by the test, exactly as in production.
"""
import uuid
from pathlib import Path

from cloud.broker.provisioning import BrokerAdmin, Credentials, initial_config, new_password
from tests.infra.certs import TlsFiles
from tests.infra.mosquitto import PrivateMosquitto
from tests.infra.mqtt import TestClient

PRODUCTION_CONFIG = Path(__file__).resolve().parents[2] / "cloud" / "broker" / "mosquitto.conf"


class ProductionBroker:
    """A started production-style broker: ``port``, ``ca_cert``, ``admin``, ``ingest`` and client helpers."""

    host = "127.0.0.1"

    def __init__(self, tls: TlsFiles, config: str | None = None):
        self.admin_password = new_password()
        self.broker = PrivateMosquitto(config if config is not None else PRODUCTION_CONFIG.read_text(), tls=tls,
                                       dynamic_security=initial_config(self.admin_password))
        self.admin: BrokerAdmin | None = None
        self.ingest: Credentials | None = None
        self._clients: list[TestClient] = []

    @property
    def port(self) -> int:
        """The TLS listener's port on 127.0.0.1."""
        return self.broker.port

    @property
    def ca_cert(self) -> Path:
        """The CA certificate that signed the broker's server certificate."""
        return self.broker.ca_cert

    def start(self) -> "ProductionBroker":
        """Start the broker, connect the admin, provision ``cloud-ingest`` (its credentials in ``ingest``)."""
        self.broker.start()
        self._connect_admin()
        self.ingest = self.admin.provision_ingest()
        return self

    def provision_box(self, box_id: str | None = None, name: str | None = None) -> Credentials:
        """Provision a box (a new random UUID unless given) and return its credentials."""
        return self.admin.provision_box(box_id or str(uuid.uuid4()), name)

    def client(self, client_id: str, username: str | None = None, password: str | None = None, *,
               tls: bool = True) -> TestClient:
        """A test client for this broker (TLS unless ``tls=False``), closed when the broker is."""
        client = TestClient(self.port, client_id, username=username, password=password,
                            ca_cert=self.ca_cert if tls else None)
        self._clients.append(client)
        return client

    def box_client(self, credentials: Credentials) -> TestClient:
        """A client signing in as a box: client id and username are the box id."""
        return self.client(credentials.username, credentials.username, credentials.password)

    def ingest_client(self, client_id: str = "ingest-1") -> TestClient:
        """A client signing in as the cloud's ingest user."""
        return self.client(client_id, self.ingest.username, self.ingest.password)

    def restart(self) -> None:
        """Restart the broker (persistence and the plugin's state kept) and reconnect the admin."""
        self.admin.close()
        self.broker.restart()
        self._connect_admin()

    def close(self) -> None:
        """Close every client made here and the admin connection, then stop the broker and remove its folder."""
        try:
            for client in self._clients:
                client.close()
            if self.admin is not None:
                self.admin.close()
        finally:
            self.broker.stop()

    def _connect_admin(self) -> None:
        self.admin = BrokerAdmin(self.host, self.port, self.admin_password, ca_cert=self.ca_cert)
        self.admin.connect()
