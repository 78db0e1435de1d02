"""Pytest fixtures for real servers, registered by ``tests/conftest.py`` (``pytest_plugins``).

- ``postgres_server`` (session): one private PostgreSQL server for the whole run.
- ``pg_dsn``: a fresh, empty database on it for one test (dropped afterwards); a libpq URI.
- ``mosquitto``: a plain private broker for one test (no TLS, anonymous allowed, persistence on).
- ``tls_files`` (session): a throwaway CA and a server certificate for 127.0.0.1/localhost.
- ``broker_factory``: starts production-style brokers (``cloud/broker/mosquitto.conf``: TLS,
  dynamic security, per-box credentials and ACL); call it once per broker wanted.

Every server is stopped and its folder removed at the end, whether the test passed or not.
"""
import uuid
from collections.abc import Callable, Iterator

import pytest

from tests.infra.certs import TlsFiles, make_certificates
from tests.infra.cloud_broker import ProductionBroker
from tests.infra.mosquitto import PrivateMosquitto
from tests.infra.postgres import PrivatePostgres


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PrivatePostgres]:
    """A private PostgreSQL server (127.0.0.1, free port, trust auth) shared by the whole session."""
    server = PrivatePostgres()
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_dsn(postgres_server: PrivatePostgres) -> Iterator[str]:
    """The DSN of a new empty database for this test, e.g. ``postgresql://postgres@127.0.0.1:PORT/t_…``."""
    name = f"t_{uuid.uuid4().hex[:16]}"
    dsn = postgres_server.create_database(name)
    try:
        yield dsn
    finally:
        postgres_server.drop_database(name)


@pytest.fixture
def mosquitto() -> Iterator[PrivateMosquitto]:
    """A plain private broker (no TLS, anonymous allowed, persistence on) for protocol tests."""
    broker = PrivateMosquitto(allow_anonymous=True)
    try:
        broker.start()
        yield broker
    finally:
        broker.stop()


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    """A throwaway CA and a server certificate for 127.0.0.1/localhost, made once per session."""
    return make_certificates(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def broker_factory(tls_files: TlsFiles) -> Iterator[Callable[..., ProductionBroker]]:
    """``broker_factory(config=None) -> ProductionBroker``: a started production-style broker.

    ``config`` replaces the text of ``cloud/broker/mosquitto.conf`` when a test needs a variant.
    """
    brokers: list[ProductionBroker] = []

    def start(config: str | None = None) -> ProductionBroker:
        broker = ProductionBroker(tls_files, config)
        brokers.append(broker)
        return broker.start()

    try:
        yield start
    finally:
        errors = []
        for broker in brokers:
            try:
                broker.close()
            except Exception as error:  # stop the others all the same
                errors.append(error)
        if errors:
            raise errors[0]
