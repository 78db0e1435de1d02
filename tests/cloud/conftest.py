"""A migrated cloud database on the private PostgreSQL server, per test."""
import uuid

import pytest

from cloud.storage.database import database, open_database
from cloud.services.fleet import register_box
from cloud.storage.migrate import upgrade
from tests.cloud.sync_processes import box_agent, cloud_worker


@pytest.fixture
def cloud_db(pg_dsn):
    """The cloud's schema on a fresh database; closed afterwards."""
    db = open_database(pg_dsn)
    db.connect()
    upgrade(db)
    yield db
    if not database.is_closed():
        database.close()


@pytest.fixture
def box_id():
    return str(uuid.uuid4())


@pytest.fixture
def sync_pair(small_salon, cloud_db, pg_dsn, mosquitto, tmp_path, box_id):
    """A registered box with some work in it, its agent and one cloud worker (started by the test)."""
    register_box(box_id, "Chilonzor")
    agent = box_agent(tmp_path / "data", box_id, mosquitto.port)
    worker = cloud_worker(pg_dsn, mosquitto.port, tmp_path)
    yield agent, worker
    agent.stop()
    worker.stop()
