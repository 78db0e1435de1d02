"""The box's SQLite database: one file in the data folder, WAL mode, foreign keys on."""
import threading
from contextlib import nullcontext

from peewee import DatabaseProxy, OperationalError, SqliteDatabase

from appliance.storage.writer_turns import WaitedTooLong, WriterTurns

# Models bind to this proxy; create_app or a CLI command points it at a file.
database = DatabaseProxy()

PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    # Several gunicorn workers write; a writer waits for the lock instead of failing.
    "busy_timeout": 15000,
    # In WAL mode NORMAL loses no committed transaction on an application
    # crash and only the last ones on power loss, at a fraction of FULL's cost.
    "synchronous": "normal",
    "cache_size": -16000,
    # No memory map (SQLite's default): whenever another connection has committed, SQLite
    # unmaps the whole file before its next read and faults every page in again. With
    # writers in several processes that is nearly every request: two lookups took 2.7 ms
    # of CPU after a foreign commit with a 256 MiB map against 1.0 ms with plain reads.
    "mmap_size": 0,
    # BoxDatabase checkpoints itself, while it still holds the write turn (see commit).
    "wal_autocheckpoint": 0,
    # After the log starts again from its beginning, the file is cut back to this size.
    "journal_size_limit": 64 * 1024 * 1024,
}
# A writing process checkpoints after this many of its own commits, holding the write turn while
# the file is synced (so not after every commit). A booking adds about 20 pages to the log: with
# three workers booking without a pause, the log stays near 10 MB at most.
CHECKPOINT_EVERY = 50


class BoxDatabase(SqliteDatabase):
    """SQLite whose transactions wait for their write turn in a queue (see writer_turns)."""

    def __init__(self, path: str, **kwargs):
        super().__init__(path, **kwargs)
        in_memory = path == ":memory:" or path.startswith("file::memory:")
        wait_limit = PRAGMAS["busy_timeout"] / 1000
        self.turns = None if in_memory else WriterTurns(path + ".writers", wait_limit)
        self._holding = threading.local()
        self._commits = 0

    def begin(self, lock_type=None):
        """BEGIN, once this thread's write turn has come."""
        if self.turns is not None and not getattr(self._holding, "turn", False) and lock_type != "DEFERRED":
            try:
                self.turns.take()
            except WaitedTooLong as exc:
                raise OperationalError(f"database is locked: {exc}") from None
            self._holding.turn = True
        try:
            super().begin(lock_type)
        except BaseException:
            self._give_back()
            raise

    def commit(self):
        """COMMIT, now and then a checkpoint, then let the next writer in."""
        try:
            super().commit()
        except BaseException:
            # A refused COMMIT leaves the transaction open for the ROLLBACK that follows it.
            if self.is_closed() or not self.connection().in_transaction:
                self._give_back()
            raise
        try:
            if getattr(self._holding, "turn", False):  # a write, not a read snapshot
                self._commits += 1  # counted inside the turn: no two threads at once
                if self._commits % CHECKPOINT_EVERY == 0:
                    # Inside the turn, so that no writer appends while the log is copied back:
                    # a checkpoint racing the other writers never reaches the end of the log,
                    # SQLite can then never start the log again from its beginning, and under
                    # steady booking the WAL grew past 1 GB in half a minute.
                    self.checkpoint()
        finally:
            self._give_back()

    def checkpoint(self) -> None:
        """Copy the WAL back into the database file, without waiting for readers."""
        if self.is_closed() or self.connection().in_transaction:
            return
        try:
            self.execute_sql("PRAGMA wal_checkpoint(PASSIVE)")
        except OperationalError:
            pass  # another process is checkpointing right now; the next turn will do

    def rollback(self):
        """ROLLBACK, then let the next writer in."""
        try:
            super().rollback()
        finally:
            self._give_back()

    def _give_back(self) -> None:
        if getattr(self._holding, "turn", False):
            self._holding.turn = False
            self.turns.give_back()


def open_database(path: str) -> SqliteDatabase:
    """Open (creating if needed) the SQLite file at ``path`` and bind the models to it."""
    # Every transaction takes the write lock when it begins. A deferred one that reads and
    # then writes fails at once ("database is locked", busy_timeout or not) if another
    # process (a gunicorn worker, the sync agent) committed since its read.
    db = BoxDatabase(path, pragmas=PRAGMAS, check_same_thread=False, lock_type="IMMEDIATE")
    database.initialize(db)
    return db


def write_transaction():
    """A transaction that takes the write lock at once (BEGIN IMMEDIATE).

    Check-then-insert rules such as "no double booking" are only safe when no
    other process can write between the check and the insert.
    """
    return database.atomic("IMMEDIATE")


def read_snapshot():
    """Reads that all see one state of the database (BEGIN DEFERRED), and pay for it once.

    Each statement outside a transaction is a read transaction of its own, and each
    one that finds another process's commit since the last drops the connection's
    page cache: a run of lookups under a busy writer re-read the same pages again
    and again. Only reads belong inside: a write here could fail on a stale snapshot.
    Inside a transaction already, its reads see one state anyway: no savepoint is opened.
    """
    return nullcontext() if database.in_transaction() else database.atomic("DEFERRED")
