"""Writers to one SQLite file take turns in a queue instead of polling its lock.

SQLite's busy handler waits for a held write lock by sleeping (1, 2, 5 ... 100 ms) and
trying again: with several gunicorn workers, their threads, the sync agent and the
hardware service all writing, a freed lock sat unused while everybody slept, and the
booking phase of the bench left a quarter of the CPU idle. Here each transaction first
queues on a thread lock (the threads of one process) and then on an ``flock`` of a file
beside the database (the processes); the kernel wakes the next waiter the moment the
holder commits. SQLite's own lock still guards the data: this only orders the waiting.
"""
import fcntl
import os
import threading

from appliance.storage.file_lock_wait import FileLockWait


class WaitedTooLong(Exception):
    """The write turn did not come within the wait limit."""


class WriterTurns:
    """One queue of writers for one database file, shared by every process that opens it."""

    def __init__(self, lock_path: str, wait_limit: float):
        self.lock_path = lock_path
        self.wait_limit = wait_limit
        self._threads = threading.Lock()
        self._starting = threading.Lock()
        self._fd = None
        self._file_lock = None
        self._pid = None

    def take(self) -> None:
        """Wait for this thread's turn to write; WaitedTooLong after ``wait_limit`` seconds."""
        if self._pid != os.getpid():
            self._start_in_this_process()
        if not self._threads.acquire(timeout=self.wait_limit):
            raise WaitedTooLong(f"no write turn within {self.wait_limit:g} s")
        try:
            self._take_file_lock()
        except BaseException:
            self._threads.release()
            raise

    def give_back(self) -> None:
        """End this thread's turn (after COMMIT or ROLLBACK)."""
        try:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._threads.release()

    def _take_file_lock(self) -> None:
        # Blocking, woken by the kernel when the holder lets go (polling it every 0.2 ms cost
        # each waiting process thousands of wake-ups a second and left freed turns idle).
        if not self._file_lock.acquire(self.wait_limit):
            raise WaitedTooLong(f"no write turn within {self.wait_limit:g} s")

    def _start_in_this_process(self) -> None:
        # A forked child inherits its parent's open file, and with it the parent's flock, and
        # a copy of the thread lock as it stood at the fork: it starts both afresh.
        # Two threads making the first write of a process at once must not each start afresh.
        with self._starting:
            if self._pid == os.getpid():
                return
            self._threads = threading.Lock()
            self._fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o660)
            self._file_lock = FileLockWait(self._fd)
            self._pid = os.getpid()
