"""A migrated cloud database on the private PostgreSQL server, per test."""
import pytest

from cloud.storage.database import database, open_database
from cloud.storage.migrate import upgrade


@pytest.fixture
def cloud_db(pg_dsn):
    """The cloud's schema on a fresh database; closed afterwards."""
    db = open_database(pg_dsn)
    db.connect()
    upgrade(db)
    yield db
    if not database.is_closed():
        database.close()
