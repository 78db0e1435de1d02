"""A blocking flock with a time limit: it comes when freed, it gives up in time, it never leaks."""
import fcntl
import os
import threading
import time

import pytest

from appliance.storage.file_lock_wait import FileLockWait


@pytest.fixture
def lock_path(tmp_path):
    """A lock file beside nothing."""
    return str(tmp_path / "box.sqlite3.writers")


@pytest.fixture
def open_file(lock_path):
    """Opens the lock file; each call is an open file of its own (flock locks conflict between them)."""
    opened = []

    def open_one():
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o660)
        opened.append(fd)
        return fd

    yield open_one
    for fd in opened:
        os.close(fd)


def _is_free(fd) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    fcntl.flock(fd, fcntl.LOCK_UN)
    return True


def test_a_free_lock_is_taken_at_once_and_held_until_let_go(open_file):
    mine, other = open_file(), open_file()
    waiting = FileLockWait(mine)
    assert waiting.acquire(1.0)
    assert not _is_free(other)
    fcntl.flock(mine, fcntl.LOCK_UN)
    assert _is_free(other)


def test_a_held_lock_comes_as_soon_as_its_holder_lets_go(open_file):
    mine, holder = open_file(), open_file()
    fcntl.flock(holder, fcntl.LOCK_EX)
    waiting = FileLockWait(mine)
    released_at = []

    def let_go_later():
        time.sleep(0.3)
        released_at.append(time.monotonic())
        fcntl.flock(holder, fcntl.LOCK_UN)

    threading.Thread(target=let_go_later).start()
    assert waiting.acquire(10.0)
    came_after = time.monotonic() - released_at[0]
    assert not _is_free(holder), "the waiter got the lock"
    # Woken by the kernel, not by a poll or the time limit (10 s): within a generous bound.
    assert came_after < 2.0
    fcntl.flock(mine, fcntl.LOCK_UN)


def test_a_waiter_gives_up_after_its_limit_and_the_lock_it_missed_is_not_kept(open_file):
    mine, holder, third = open_file(), open_file(), open_file()
    fcntl.flock(holder, fcntl.LOCK_EX)
    waiting = FileLockWait(mine)
    started = time.monotonic()
    assert not waiting.acquire(0.2)
    assert 0.2 <= time.monotonic() - started < 5
    fcntl.flock(holder, fcntl.LOCK_UN)
    # The helper still blocked in flock takes the lock now, finds nobody waiting, lets it go.
    deadline = time.monotonic() + 5
    while not _is_free(third) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _is_free(third), "the lock a waiter gave up on stayed taken"


def test_after_giving_up_the_next_waiter_of_the_process_gets_the_lock(open_file):
    mine, holder = open_file(), open_file()
    fcntl.flock(holder, fcntl.LOCK_EX)
    waiting = FileLockWait(mine)
    assert not waiting.acquire(0.1)
    threading.Timer(0.2, fcntl.flock, (holder, fcntl.LOCK_UN)).start()
    assert waiting.acquire(10.0)  # handed over by the helper that was still waiting
    assert not _is_free(holder)
    fcntl.flock(mine, fcntl.LOCK_UN)
    assert _is_free(holder)


def test_turns_of_many_waiters_never_overlap_and_all_come(open_file):
    # Two "processes" (open files), each with its threads queued on a thread lock, as WriterTurns does.
    sides = [(FileLockWait(open_file()), threading.Lock()) for _ in range(2)]
    inside, overlaps, done = [], [], []

    def write(side):
        waiting, threads = sides[side]
        fd = waiting._fd
        for _ in range(100):
            with threads:
                assert waiting.acquire(10.0)
                inside.append(side)
                if len(inside) > 1:
                    overlaps.append(tuple(inside))
                inside.pop()
                fcntl.flock(fd, fcntl.LOCK_UN)
        done.append(side)

    workers = [threading.Thread(target=write, args=(n % 2,)) for n in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert overlaps == []
    assert len(done) == 6
