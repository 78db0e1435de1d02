"""An exclusive ``flock`` taken with a time limit, woken by the kernel the moment it is free.

``flock`` either fails at once (LOCK_NB) or blocks with no time limit. Polling it with LOCK_NB
every 0.2 ms cost every waiting process thousands of wake-ups a second under steady booking,
and a lock freed between two polls sat idle until the next one. Here one helper thread per
process makes the blocking call, and the thread that wants the lock waits for it with a time
limit. A waiter that gives up leaves the helper blocked; when the lock comes, the helper hands
it to whoever waits then, or lets it go at once.

The lock belongs to the open file (its description), not to a thread: the helper takes it,
the waiting thread holds it, and the usual ``flock(fd, LOCK_UN)`` gives it back.
"""
import fcntl
import threading


class FileLockWait:
    """Blocking exclusive flock on ``fd`` with a time limit, for one waiting thread at a time."""

    def __init__(self, fd: int):
        self._fd = fd
        self._state = threading.Condition(threading.Lock())
        self._pending = False  # the helper is in (or about to enter) its blocking flock
        self._waiting = None  # number of the request waiting now
        self._granted = None  # the request the helper handed the lock to
        self._serial = 0
        self._helper = None
        self._failure = None

    def acquire(self, timeout: float) -> bool:
        """Take the lock, waiting ``timeout`` seconds at most; False if it did not come.

        Callers take turns on a thread lock of their own first: one request at a time.
        """
        with self._state:
            if not self._pending:
                # Only while the helper is not blocked on the lock: a lock the helper took later
                # for a waiter that gave up would be let go under this caller's feet.
                try:
                    fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return True
                except BlockingIOError:
                    pass
                self._pending = True
                self._start_helper()
                self._state.notify_all()
            self._serial += 1
            request = self._waiting = self._serial
            if self._state.wait_for(lambda: self._granted == request or self._failure is not None, timeout):
                if self._granted == request:
                    return True
                failure, self._failure = self._failure, None
                raise failure
            self._waiting = None  # given up: the helper lets the lock go when it comes
            return False

    def _start_helper(self) -> None:
        if self._helper is None:
            self._helper = threading.Thread(target=self._take_for_waiters, name="flock-wait", daemon=True)
            self._helper.start()

    def _take_for_waiters(self) -> None:
        try:
            while True:
                with self._state:
                    self._state.wait_for(lambda: self._pending)
                fcntl.flock(self._fd, fcntl.LOCK_EX)
                with self._state:
                    self._pending = False
                    if self._waiting is not None:
                        self._granted, self._waiting = self._waiting, None
                        self._state.notify_all()
                    else:
                        fcntl.flock(self._fd, fcntl.LOCK_UN)  # its waiter gave up meanwhile
        except OSError as exc:
            # The file was closed under it (the process is shutting down): the waiter, if any,
            # hears of it, and a later request starts a helper afresh.
            with self._state:
                self._pending, self._helper = False, None
                if self._waiting is not None:
                    self._failure = exc
                self._state.notify_all()
