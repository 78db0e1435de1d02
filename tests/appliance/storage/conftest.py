"""Fixtures of the storage tests: a box file migrated up to just before a given migration."""
import pytest

from appliance.storage.database import open_database
from appliance.storage.migrate import MIGRATIONS_DIR, migration_runner


@pytest.fixture
def box_before(tmp_path):
    """A function: migration number -> (db, runner, path) of a box at the migration before it."""
    opened = []

    def migrated(number: str):
        path = tmp_path / "box.sqlite3"
        db = open_database(str(path))
        db.connect()
        runner = migration_runner(db, MIGRATIONS_DIR)
        before = sorted(p.stem for p in MIGRATIONS_DIR.glob("00*.py") if p.stem < number)
        assert runner.up(before[-1]) == before
        opened.append(db)
        return db, runner, path

    yield migrated
    for db in opened:
        if not db.is_closed():
            db.close()
