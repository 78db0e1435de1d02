"""Writers take turns: threads and processes queue for the write lock, and always give it back."""
import multiprocessing
import threading
import time
from pathlib import Path

import pytest
from peewee import IntegerField, Model, OperationalError, TextField

from appliance.storage.database import BoxDatabase, PRAGMAS
from appliance.storage.writer_turns import WaitedTooLong, WriterTurns


class Counter(Model):
    value = IntegerField()


class Note(Model):
    text = TextField()


@pytest.fixture
def db_path(tmp_path):
    """A box database file with one counter row."""
    path = str(tmp_path / "box.sqlite")
    db = BoxDatabase(path, pragmas=PRAGMAS, check_same_thread=False, lock_type="IMMEDIATE")
    with db.bind_ctx([Counter]):
        db.create_tables([Counter])
        Counter.create(value=0)
    db.close()
    return path


def _open(path, **kwargs):
    return BoxDatabase(path, pragmas=PRAGMAS, check_same_thread=False, lock_type="IMMEDIATE", **kwargs)


def _add_ones(db, times):
    for _ in range(times):
        with db.atomic():
            # Read, then write: lost updates would show if two writers overlapped.
            value = Counter.get().value
            Counter.update(value=value + 1).execute()


def _add_ones_in_a_process(path, times):
    db = _open(path)
    Counter.bind(db)
    _add_ones(db, times)
    db.close()


def _read(path):
    db = BoxDatabase(path, pragmas=PRAGMAS)
    with db.bind_ctx([Counter]):
        value = Counter.get().value
    db.close()
    return value


def test_processes_and_threads_writing_at_once_lose_nothing(db_path):
    ctx = multiprocessing.get_context("fork")
    processes = [ctx.Process(target=_add_ones_in_a_process, args=(db_path, 150)) for _ in range(3)]
    for process in processes:
        process.start()
    db = _open(db_path)
    with db.bind_ctx([Counter]):
        threads = [threading.Thread(target=_add_ones, args=(db, 150)) for _ in range(3)]
        for worker in threads:
            worker.start()
        for worker in processes + threads:
            worker.join(timeout=60)
    db.close()
    assert [p.exitcode for p in processes] == [0, 0, 0]
    assert _read(db_path) == 900


def test_the_turn_comes_back_after_rollback_and_failed_commit(db_path):
    db = BoxDatabase(db_path, pragmas=PRAGMAS, check_same_thread=False, lock_type="IMMEDIATE")
    with db.bind_ctx([Counter]):
        with pytest.raises(ZeroDivisionError):
            with db.atomic():
                Counter.update(value=5).execute()
                1 / 0
        other = threading.Thread(target=_add_ones, args=(db, 1))
        other.start()
        other.join(timeout=5)
        assert not other.is_alive(), "the rolled-back transaction kept its turn"
    assert _read(db_path) == 1
    db.close()


def _hold_turn(lock_path, holding, release):
    turns = WriterTurns(lock_path, wait_limit=5)
    turns.take()
    holding.set()
    release.wait(10)
    turns.give_back()


def test_a_writer_that_waits_too_long_gets_database_locked(db_path):
    ctx = multiprocessing.get_context("fork")
    holding, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_turn, args=(db_path + ".writers", holding, release))
    holder.start()
    try:
        assert holding.wait(10)
        db = BoxDatabase(db_path, pragmas=PRAGMAS, check_same_thread=False, lock_type="IMMEDIATE")
        db.turns.wait_limit = 0.3
        with db.bind_ctx([Counter]):
            started = time.monotonic()
            with pytest.raises(OperationalError, match="database is locked"):
                with db.atomic():
                    Counter.update(value=7).execute()
            assert 0.3 <= time.monotonic() - started < 3
            release.set()
            holder.join(10)
            with db.atomic():  # the turn comes once the holder lets go, and this thread holds none
                Counter.update(value=7).execute()
        db.close()
    finally:
        release.set()
        holder.join(10)
    assert _read(db_path) == 7


def _try_turn(turns, outcome):
    turns.wait_limit = 0.3
    try:
        turns.take()
        outcome.put("took")
    except WaitedTooLong:
        outcome.put("waited")


def test_a_forked_child_queues_behind_its_parent_and_then_writes(tmp_path):
    # The child uses the very object it inherited: same open file, a copy of a held thread lock.
    turns = WriterTurns(str(tmp_path / "lock"), wait_limit=1)
    ctx = multiprocessing.get_context("fork")
    outcome = ctx.Queue()
    turns.take()
    try:
        child = ctx.Process(target=_try_turn, args=(turns, outcome))
        child.start()
        assert outcome.get(timeout=10) == "waited"
        child.join(10)
    finally:
        turns.give_back()
    child = ctx.Process(target=_try_turn, args=(turns, outcome))
    child.start()
    assert outcome.get(timeout=10) == "took"
    child.join(10)


def test_threads_of_one_process_take_turns(tmp_path):
    turns = WriterTurns(str(tmp_path / "lock"), wait_limit=5)
    inside, overlaps = [], []

    def write():
        for _ in range(50):
            turns.take()
            inside.append(1)
            if len(inside) > 1:
                overlaps.append(len(inside))
            time.sleep(0.0002)
            inside.pop()
            turns.give_back()

    workers = [threading.Thread(target=write) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert overlaps == []


def test_the_wal_of_a_box_writing_all_day_stays_small(db_path):
    # SQLite's own checkpoint is off (wal_autocheckpoint=0): the box checkpoints itself.
    db = _open(db_path)
    with db.bind_ctx([Counter]):
        for n in range(1000):
            with db.atomic():
                Counter.create(value=n)
                Counter.update(value=n).where(Counter.id == 1).execute()
        wal = Path(db_path + "-wal").stat().st_size
        assert Counter.select().count() == 1001
    db.close()
    # 1,000 commits of two pages each would leave an 8 MB log behind without checkpoints.
    assert wal < 2_000_000, f"WAL grew to {wal} bytes"


def _write_notes(path, commits, start):
    db = _open(path, long_log_frames=LONG_LOG)
    with db.bind_ctx([Note]):
        start.wait(10)
        for n in range(commits):
            with db.atomic():
                Note.create(text=f"{n:06d}" * 500)  # 3 KB: a page or two of the log a commit
    db.close()


LONG_LOG = 128  # pages: a small limit, to see the rule at work within a few thousand commits


def test_the_wal_stays_small_while_several_processes_write_without_a_pause(db_path):
    # A checkpoint taken after the writer's turn races the next writer's appends: it never
    # reaches the end of the log, SQLite can never start the log again from its beginning,
    # and a box under steady writing grew a WAL of over 1 GB. Once a checkpoint finds the log
    # long, the writer's next one runs inside its turn and catches up.
    db = _open(db_path)  # kept open: the last connection to close would remove the log
    with db.bind_ctx([Note]):
        db.create_tables([Note])
        ctx = multiprocessing.get_context("fork")
        start = ctx.Event()
        writers = [ctx.Process(target=_write_notes, args=(db_path, 1500, start)) for _ in range(3)]
        for writer in writers:
            writer.start()
        start.set()
        for writer in writers:
            writer.join(120)
        assert [w.exitcode for w in writers] == [0, 0, 0]
        wal = Path(db_path + "-wal").stat().st_size  # the file keeps its largest size: a high-water mark
        assert Note.select().count() == 4500
    db.close()
    # 4,500 commits of one to two pages each: 18-36 MB of log if it never started again (56 MB seen).
    assert wal < 12_000_000, f"WAL grew to {wal} bytes"
