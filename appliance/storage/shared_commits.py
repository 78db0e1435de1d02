"""Group commit: writes that threads of one process queue up meanwhile share one transaction.

Under steady booking every write transaction pays the same fixed price: the write turn, a
page cache that another process's commit has made stale, the commit's log frames (the last
leaf page of each table and index, written again by every transaction) and the log's locks.
A thread that gets here while another thread of its process holds the turn queues its work;
the next thread through takes every queued piece into one transaction. A piece that fails (a
clash, bad input) before it has written anything is dropped and its error raised in the thread
that queued it; the others commit. Pieces run without a savepoint each: SAVEPOINT and RELEASE
were two statements more per piece under the write turn, for an undo that a piece which checks
before it writes (a booking) never needs. A piece that fails after writing (or whose failure
ends the transaction, as SQLite does on a full disk) takes the transaction down with it; the
others then run again in a new one, each under a savepoint of its own, and again without any
piece that ends that one too. Nobody hears of success before the commit has happened.

Work must use only the database and what it was given: it may run on another thread, outside
the request that queued it, and run again after a neighbour's failure rolled back its first
run. It must not change the schema (a change that is not a row would not be noticed).
"""
import copy
import os
import threading
import time
from collections import deque
from typing import Callable, TypeVar

T = TypeVar("T")


class QueuedTooLong(Exception):
    """No transaction took the queued work within the wait limit; nothing of it was written."""


class _Refused(Exception):
    """A piece alone in its transaction failed: roll the transaction back."""


class _WroteThenFailed(Exception):
    """A piece failed after writing (or its failure ended the transaction): roll it all back."""

    def __init__(self, piece, error: BaseException):
        super().__init__(str(error))
        self.piece, self.error = piece, error

    def others(self, pieces: list) -> list:
        """Give the failed piece its error; the pieces to run again without it."""
        self.piece.result, self.piece.error = None, self.error
        return [piece for piece in pieces if piece is not self.piece]


class _Piece:
    __slots__ = ("work", "taken", "done", "result", "error")

    def __init__(self, work: Callable):
        self.work = work
        self.taken = False  # a transaction has it: its outcome will come, whatever the wait
        self.done = False
        self.result = None
        self.error = None


class SharedCommits:
    """One queue of writes per process for one database."""

    def __init__(self, database, transaction: Callable, wait_limit: float):
        self._database = database
        self._transaction = transaction
        self.wait_limit = wait_limit
        self._pid = None
        self._starting = threading.Lock()
        self._start_in_this_process()

    def run(self, work: Callable[[], T]) -> T:
        """Run ``work()`` in a write transaction, maybe shared with other threads' work; its result.

        Inside a transaction already, ``work`` runs there, under a savepoint of its own.
        QueuedTooLong if no transaction took it within ``wait_limit`` seconds.
        """
        if self._database.in_transaction():
            with self._database.atomic():
                return work()
        if self._pid != os.getpid():
            self._start_in_this_process()
        piece = _Piece(work)
        if self._wait_to_lead(piece):
            try:
                self._run_queued()
            finally:
                with self._turn:
                    self._leading = False
                    self._turn.notify_all()
        if piece.error is not None:
            raise piece.error
        return piece.result

    def _wait_to_lead(self, piece: _Piece) -> bool:
        """Queue ``piece``; True once this thread is to run the queue, False once another has run it."""
        deadline = time.monotonic() + self.wait_limit
        with self._turn:
            self._queue.append(piece)
            while self._leading and not piece.done:
                left = deadline - time.monotonic()
                if left <= 0 and not piece.taken:
                    self._queue.remove(piece)
                    raise QueuedTooLong(f"no write transaction within {self.wait_limit:g} s")
                self._turn.wait(left if left > 0 and not piece.taken else None)
            if piece.done:
                return False
            self._leading = True
            return True

    def _run_queued(self) -> None:
        taken = []
        try:
            with self._transaction():
                # Taken once the write turn has come: what queued while this thread waited joins in.
                with self._turn:
                    taken.extend(self._queue)
                    self._queue.clear()
                    for piece in taken:
                        piece.taken = True
                if len(taken) == 1:
                    self._run_alone(taken[0])
                else:
                    self._run_unguarded(taken)
        except _Refused:
            pass  # the lone piece failed: its transaction is rolled back, its error kept
        except _WroteThenFailed as failed:
            self._run_guarded(failed.others(taken))
        except BaseException as exc:  # BEGIN or COMMIT failed: none of the pieces was written
            if not taken:
                self._give_up_queue(exc)
            self._fail_all(taken, exc)
        finally:
            for piece in taken:
                piece.done = True

    def _run_unguarded(self, pieces: list) -> None:
        connection = self._database.connection()
        for piece in pieces:
            before = connection.total_changes
            try:
                piece.result = piece.work()
            except Exception as exc:
                # Nothing of it to undo only if it changed no row and the transaction still stands.
                if connection.total_changes != before or not connection.in_transaction:
                    raise _WroteThenFailed(piece, exc) from None
                piece.error = exc

    def _run_guarded(self, pieces: list) -> None:
        # The rare way, after a piece failed half-written: each piece under a savepoint of its own,
        # and again without any piece whose failure ended the transaction (no savepoint is left).
        while pieces:
            try:
                with self._transaction():
                    for piece in pieces:
                        piece.result, piece.error = None, None
                        self._run_piece(piece)
                return
            except _WroteThenFailed as failed:
                pieces = failed.others(pieces)
            except BaseException as exc:
                self._fail_all(pieces, exc)
                return

    @staticmethod
    def _fail_all(pieces: list, exc: BaseException) -> None:
        for piece in pieces:
            piece.result, piece.error = None, _own_copy(exc)

    def _give_up_queue(self, exc: BaseException) -> None:
        # BEGIN failed (no write turn within the limit): what waited as long fails with it.
        with self._turn:
            for piece in self._queue:
                piece.error, piece.done = _own_copy(exc), True
            self._queue.clear()

    def _run_alone(self, piece: _Piece) -> None:
        # Alone in its transaction a piece needs no savepoint (two statements fewer): if it
        # fails, the whole transaction is rolled back.
        try:
            piece.result = piece.work()
        except Exception as exc:
            piece.error = exc
            raise _Refused from None

    def _run_piece(self, piece: _Piece) -> None:
        execute = self._database.execute_sql
        execute("SAVEPOINT shared_piece")
        try:
            piece.result = piece.work()
        except Exception as exc:
            if not self._database.connection().in_transaction:
                raise _WroteThenFailed(piece, exc) from None
            execute("ROLLBACK TO shared_piece")
            piece.error = exc
        execute("RELEASE shared_piece")

    def _start_in_this_process(self) -> None:
        # A forked child inherits the parent's lock as it stood at the fork: it starts afresh.
        with self._starting:
            if self._pid == os.getpid():
                return
            self._turn = threading.Condition(threading.Lock())
            self._queue = deque()
            self._leading = False
            self._pid = os.getpid()


def _own_copy(exc: BaseException) -> BaseException:
    # One failure raised in several threads at once: each raises an instance of its own, so that
    # one thread's traceback is not written into another's.
    return copy.copy(exc)
