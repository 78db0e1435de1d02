"""The box's SQLite database: one file in the data folder, WAL mode, foreign keys on."""
import threading
from contextlib import nullcontext

from peewee import DatabaseProxy, OperationalError, SqliteDatabase

from appliance.storage.shared_commits import QueuedTooLong, SharedCommits
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
    # Savepoints' undo pages (and sorts' scratch tables) in memory, not in files: with temporary
    # files each savepoint that changed a page created, wrote, closed and deleted one in /var/tmp,
    # and every booking runs under a savepoint (shared_commits).
    "temp_store": "memory",
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
# A writing process checkpoints after this many of its own commits (not after every one: each
# checkpoint syncs the file twice). A booking adds about 20 pages to the log.
CHECKPOINT_EVERY = 50
# A checkpoint that found the log longer than this (in pages; 32 MB) has the next one run inside
# the write turn, so that the log can start again from its beginning (see BoxDatabase.commit).
# That one keeps every writer waiting through its two fsyncs (5-6 ms here): at 2,048 pages it ran
# six times a second under steady booking, at 8,192 one to two (bookings 2 % faster).
LONG_LOG_FRAMES = 8192


class BoxDatabase(SqliteDatabase):
    """SQLite whose transactions wait for their write turn in a queue (see writer_turns)."""

    def __init__(self, path: str, long_log_frames: int = LONG_LOG_FRAMES, **kwargs):
        super().__init__(path, **kwargs)
        self.long_log_frames = long_log_frames
        self._log_was_long = False
        in_memory = path == ":memory:" or path.startswith("file::memory:")
        wait_limit = PRAGMAS["busy_timeout"] / 1000
        self.turns = None if in_memory else WriterTurns(path + ".writers", wait_limit)
        self._holding = threading.local()
        self._commits = 0
        self.shared_commits = SharedCommits(self, lambda: self.atomic("IMMEDIATE"), wait_limit)

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
        after_turn = False
        try:
            if getattr(self._holding, "turn", False):  # a write, not a read snapshot
                self._commits += 1  # counted inside the turn: no two threads at once
                if self._log_was_long:
                    # Inside the turn no writer appends while the log is copied back, so the copy
                    # reaches its end and the next writer starts the log from its beginning. Racing
                    # the writers it never would: under steady booking the WAL grew past 1 GB in
                    # half a minute. Tried again on each commit until it catches up (another
                    # process's checkpoint running at the same time makes it skip).
                    pages = self.checkpoint()
                    self._log_was_long = pages is None or pages[1] < pages[0]
                elif self._commits % CHECKPOINT_EVERY == 0:
                    after_turn = True
        finally:
            self._give_back()
        if after_turn:
            # After the turn: the copy and its two syncs (milliseconds, more on an SD card) used to
            # keep every writer waiting, and left a tenth of the CPU idle under steady booking.
            pages = self.checkpoint()
            self._log_was_long = pages is not None and pages[0] > self.long_log_frames

    def checkpoint(self) -> tuple[int, int] | None:
        """Copy the WAL back into the database file, without waiting for readers.

        Returns (pages in the log, pages of it now copied), or None if it could not run.
        """
        if self.is_closed() or self.connection().in_transaction:
            return None
        try:
            _, log, copied = self.execute_sql("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        except OperationalError:
            return None  # another process is checkpointing right now
        return log, copied

    def rollback(self):
        """ROLLBACK, then let the next writer in."""
        try:
            # SQLite ends the transaction itself on some errors (a full disk, an I/O error): a
            # ROLLBACK then fails with "no transaction is active" and hides the error that did it.
            if self.is_closed() or self.connection().in_transaction:
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


def write_together(work):
    """``work()`` in a write transaction (BEGIN IMMEDIATE) that other threads' writes may share.

    Under steady writing one transaction carries the work of every thread of the process
    that queued meanwhile, each under its own savepoint (see shared_commits); ``work`` may
    run on another thread, so it uses only the database and what it was given.
    """
    shared = getattr(database.obj, "shared_commits", None)
    if shared is None:
        with write_transaction():
            return work()
    try:
        return shared.run(work)
    except QueuedTooLong as exc:
        raise OperationalError(f"database is locked: {exc}") from None


def read_snapshot():
    """Reads that all see one state of the database (BEGIN DEFERRED), and pay for it once.

    Each statement outside a transaction is a read transaction of its own, and each
    one that finds another process's commit since the last drops the connection's
    page cache: a run of lookups under a busy writer re-read the same pages again
    and again. Only reads belong inside: a write here could fail on a stale snapshot.
    Inside a transaction already, its reads see one state anyway: no savepoint is opened.
    """
    return nullcontext() if database.in_transaction() else database.atomic("DEFERRED")
