"""WAL checkpoints: throttled for the whole box, run by one process at a time, off the write path."""
import fcntl
import os
import sqlite3

import pytest

from appliance.storage.checkpoint import WalCheckpointer


@pytest.fixture
def wal_db(tmp_path):
    """A real SQLite file in WAL mode with SQLite's own checkpoint off and some pages in the WAL."""
    path = str(tmp_path / "box.sqlite3")
    from peewee import SqliteDatabase

    db = SqliteDatabase(path, pragmas={"journal_mode": "wal", "wal_autocheckpoint": 0})
    db.connect()
    db.execute_sql("CREATE TABLE t (x TEXT)")
    for i in range(200):
        db.execute_sql("INSERT INTO t VALUES (?)", ["x" * 1000])
    yield db, path
    db.close()


def _wal_frames(path):
    # A PASSIVE checkpoint from another connection reports (busy, frames in WAL, frames copied).
    with sqlite3.connect(path) as other:
        return other.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()


def test_checkpoints_when_due_then_waits_for_the_interval(wal_db):
    db, path = wal_db
    checkpointer = WalCheckpointer(path, interval=3600)
    assert checkpointer.due()
    assert checkpointer.after_request(db) is True
    busy, frames, copied = db.execute_sql("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    assert frames == copied  # everything written had been copied back
    db.execute_sql("INSERT INTO t VALUES ('more')")
    assert checkpointer.after_request(db) is False  # within the interval: not again
    # Another process's checkpointer sees the shared time stamp too.
    assert WalCheckpointer(path, interval=3600).after_request(db) is False
    os.utime(f"{path}-checkpoint.lock", (0, 0))
    assert WalCheckpointer(path, interval=3600).after_request(db) is True


def test_skips_while_another_process_holds_the_lock_or_inside_a_transaction(wal_db):
    db, path = wal_db
    checkpointer = WalCheckpointer(path, interval=0)
    holder = os.open(f"{path}-checkpoint.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(holder, fcntl.LOCK_EX)
    try:
        assert checkpointer.after_request(db) is False
    finally:
        fcntl.flock(holder, fcntl.LOCK_UN)
        os.close(holder)
    with db.atomic():
        assert checkpointer.after_request(db) is False
    assert checkpointer.after_request(db) is True


def test_nothing_to_do_without_a_wal(tmp_path):
    assert WalCheckpointer(str(tmp_path / "none.sqlite3"), interval=0).due() is False
