"""Copying the WAL back into the database now and then, from one process, off the write path.

A checkpoint ends in two fsyncs, which on the box's flash (and on the
machines the tests run on) take tens of milliseconds. SQLite's automatic
checkpoint runs inside the COMMIT that crosses its threshold (1,000 pages by
default), so under load it came every few seconds of writing, each time in
the middle of somebody's request: a third of the booking path's cost.

The box's connections therefore keep SQLite's own checkpoint only as a
safety net (a high threshold, see database.PRAGMAS), and the web workers
call ``WalCheckpointer.after_request`` once a request is done. It checkpoints
at most once an ``interval`` for the whole box: the time of the last one is
the modification time of a lock file beside the database, and only the
process that wins a non-blocking lock on that file does the work while the
others go on serving.
"""
import fcntl
import os
import time

CHECKPOINT_INTERVAL_S = 10.0


class WalCheckpointer:
    """Throttled PASSIVE checkpoints of one database file."""

    def __init__(self, path: str, interval: float = CHECKPOINT_INTERVAL_S):
        self.path = path
        self.interval = interval
        self._lock_path = f"{path}-checkpoint.lock"
        self._lock_fd = None

    def due(self) -> bool:
        """True when no process of this box has checkpointed for ``interval`` and a WAL exists."""
        try:
            last = os.stat(self._lock_path).st_mtime
        except FileNotFoundError:
            last = 0.0
        return time.time() - last >= self.interval and os.path.exists(f"{self.path}-wal")

    def after_request(self, db) -> bool:
        """Checkpoint if due and no other process is doing it; True if one ran."""
        if db.in_transaction() or not self.due():
            return False
        if self._lock_fd is None:
            self._lock_fd = self._open_lock_file()
        try:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        try:
            if not self.due():  # another process finished one while this one waited for the lock
                return False
            os.utime(self._lock_fd)
            # PASSIVE waits for nobody; what it cannot copy now, the next one copies.
            db.execute_sql("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
        return True

    def _open_lock_file(self) -> int:
        try:
            fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o640)
        except FileExistsError:
            return os.open(self._lock_path, os.O_RDWR)
        os.utime(fd, (0, 0))  # made just now, but no checkpoint has run yet
        return fd
