"""Group commit: work queued by several threads shares one transaction, and each piece's fate is its own."""
import sqlite3
import threading
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from peewee import IntegerField, Model, OperationalError, TextField

from appliance.storage.database import PRAGMAS, BoxDatabase
from appliance.storage.shared_commits import QueuedTooLong, SharedCommits


class Entry(Model):
    who = TextField()
    n = IntegerField()


class Clash(Exception):
    """What a piece raises when its rule refuses it (a Conflict in the booking engine)."""


@pytest.fixture
def box(tmp_path):
    """A box database file with an ``entry`` table, its models bound; the path beside it."""
    path = str(tmp_path / "box.sqlite")
    db = BoxDatabase(path, pragmas=PRAGMAS, check_same_thread=False, lock_type="IMMEDIATE")
    with db.bind_ctx([Entry]):
        db.create_tables([Entry])
        yield db, path
    db.close()


class CountedTransactions:
    """The write transaction SharedCommits is given, counting how many were opened."""

    def __init__(self, db):
        self.db = db
        self.opened = 0

    def __call__(self):
        self.opened += 1
        return self.db.atomic("IMMEDIATE")


def _entries(path) -> list[tuple]:
    with sqlite3.connect(path) as con:
        return sorted(con.execute("SELECT who, n FROM entry"))


def _held_write_lock(path):
    """Another connection holding SQLite's write lock (as the sync agent or a CLI could)."""
    con = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    con.execute("BEGIN IMMEDIATE")
    return con


def _in_threads(shared, works: dict) -> dict:
    """Run each named work through ``shared`` in a thread of its own; name -> result or exception."""
    outcomes = {}

    def run(name, work):
        try:
            outcomes[name] = shared.run(work)
        except BaseException as exc:  # noqa: B036 - the test looks at whatever came back
            outcomes[name] = exc

    threads = [threading.Thread(target=run, args=item) for item in works.items()]
    for t in threads:
        t.start()
    return threads, outcomes


def _wait_until(condition, limit=10.0):
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.005)


def _writer(who, n=1):
    def work():
        Entry.create(who=who, n=n)
        return f"{who} written"
    return work


def _run_queued_behind_the_lock(shared, path, works: dict) -> dict:
    """Each work in a thread of its own, all queued while another connection holds the lock, then let go."""
    # One thread leads and waits for the lock; the others queue behind it.
    blocker = _held_write_lock(path)
    threads, outcomes = _in_threads(shared, works)
    _wait_until(lambda: len(shared._queue) == len(works))
    blocker.execute("COMMIT")
    blocker.close()
    for t in threads:
        t.join(10)
    return outcomes


def test_work_queued_meanwhile_shares_one_transaction(box):
    db, path = box
    counted = CountedTransactions(db)
    shared = SharedCommits(db, counted, wait_limit=10)
    outcomes = _run_queued_behind_the_lock(shared, path, {f"t{i}": _writer(f"t{i}") for i in range(5)})
    assert outcomes == {f"t{i}": f"t{i} written" for i in range(5)}
    assert counted.opened == 1
    assert _entries(path) == [(f"t{i}", 1) for i in range(5)]


class StatementLog:
    """The SQL each connection of ``db`` runs, through SQLite's own trace hook."""

    def __init__(self, db):
        self.statements = []
        self._db = db

    def watch(self) -> None:
        """Trace the calling thread's connection (peewee keeps one per thread)."""
        self._db.connection().set_trace_callback(self.statements.append)


def test_a_piece_refused_before_writing_is_dropped_alone_without_any_savepoint(box):
    db, path = box
    counted = CountedTransactions(db)
    shared = SharedCommits(db, counted, wait_limit=10)
    log = StatementLog(db)

    def traced(work):
        def run():
            log.watch()
            return work()
        return run

    def refused():
        log.watch()
        raise Clash("master already booked")  # checked before writing, as a booking is

    outcomes = _run_queued_behind_the_lock(shared, path, {"a": traced(_writer("a")), "refused": refused,
                                                          "b": traced(_writer("b"))})
    assert isinstance(outcomes["refused"], Clash) and str(outcomes["refused"]) == "master already booked"
    assert outcomes["a"] == "a written" and outcomes["b"] == "b written"
    assert counted.opened == 1
    assert _entries(path) == [("a", 1), ("b", 1)]
    assert not [s for s in log.statements if "SAVEPOINT" in s.upper()], log.statements


def test_a_piece_refused_after_writing_is_undone_and_the_others_commit_in_a_new_transaction(box):
    db, path = box
    counted = CountedTransactions(db)
    shared = SharedCommits(db, counted, wait_limit=10)

    def refused():
        Entry.create(who="refused", n=1)  # written: only the whole transaction can take it back
        raise Clash("master already booked")

    outcomes = _run_queued_behind_the_lock(shared, path, {"a": _writer("a"), "refused": refused, "b": _writer("b")})
    assert isinstance(outcomes["refused"], Clash) and str(outcomes["refused"]) == "master already booked"
    assert outcomes["a"] == "a written" and outcomes["b"] == "b written"
    assert counted.opened == 2
    assert _entries(path) == [("a", 1), ("b", 1)]


def _ending_the_transaction(db):
    def work():
        # As SQLite itself does on some errors (a full disk): the transaction is gone, no row counted.
        db.connection().execute("ROLLBACK")
        raise OSError("disk full")
    return work


def test_a_piece_whose_failure_ended_the_transaction_does_not_take_its_neighbours_rows_with_it(box):
    db, path = box
    shared = SharedCommits(db, CountedTransactions(db), wait_limit=10)
    outcomes = _run_queued_behind_the_lock(shared, path, {"a": _writer("a"), "ended": _ending_the_transaction(db),
                                                          "b": _writer("b")})
    assert isinstance(outcomes["ended"], OSError)
    # "a" ran before the ROLLBACK: told it was written, it must be in the file.
    assert outcomes["a"] == "a written" and outcomes["b"] == "b written"
    assert _entries(path) == [("a", 1), ("b", 1)]


def test_a_refused_commit_fails_every_piece_and_writes_nothing(tmp_path):
    path = str(tmp_path / "box.sqlite")
    db = BoxDatabase(path, pragmas=PRAGMAS, check_same_thread=False, lock_type="IMMEDIATE")
    db.execute_sql("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
    # Checked at COMMIT, not at the statement: every piece runs, then the COMMIT is refused.
    db.execute_sql("CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER "
                   "REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)")
    shared = SharedCommits(db, CountedTransactions(db), wait_limit=10)

    def child(parent_id):
        return lambda: db.execute_sql("INSERT INTO child (parent_id) VALUES (?)", (parent_id,)).lastrowid

    outcomes = _run_queued_behind_the_lock(shared, path, {"good": child(None), "dangling": child(99)})
    assert all(isinstance(o, Exception) and "FOREIGN KEY" in str(o) for o in outcomes.values()), outcomes
    assert outcomes["good"] is not outcomes["dangling"]  # each thread raises an instance of its own
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT count(*) FROM child").fetchone() == (0,)
    # The database is usable again: the next piece commits.
    assert isinstance(shared.run(child(None)), int)
    db.close()


def test_work_no_transaction_takes_in_time_is_given_up_unwritten(box):
    db, path = box
    shared = SharedCommits(db, CountedTransactions(db), wait_limit=0.3)
    release = threading.Event()

    def slow():
        Entry.create(who="slow", n=1)
        release.wait(10)
        return "slow written"

    first, first_outcome = _in_threads(shared, {"slow": slow})
    _wait_until(lambda: shared._leading and not shared._queue)  # taken: it runs now
    began = time.monotonic()
    with pytest.raises(QueuedTooLong):
        shared.run(_writer("late"))
    assert 0.25 <= time.monotonic() - began < 5
    release.set()
    first[0].join(10)
    assert first_outcome == {"slow": "slow written"}
    assert _entries(path) == [("slow", 1)]
    assert not shared._queue


def test_when_the_write_lock_never_comes_every_queued_piece_fails(tmp_path):
    path = str(tmp_path / "box.sqlite")
    db = BoxDatabase(path, pragmas={**PRAGMAS, "busy_timeout": 200}, check_same_thread=False,
                     lock_type="IMMEDIATE")
    with db.bind_ctx([Entry]):
        db.create_tables([Entry])
        shared = SharedCommits(db, CountedTransactions(db), wait_limit=10)
        blocker = _held_write_lock(path)
        threads, outcomes = _in_threads(shared, {"a": _writer("a"), "b": _writer("b")})
        for t in threads:
            t.join(10)
        blocker.execute("ROLLBACK")
        blocker.close()
        assert all(isinstance(o, OperationalError) and "locked" in str(o) for o in outcomes.values()), outcomes
        assert not shared._queue and not shared._leading
        assert shared.run(_writer("after")) == "after written"
    assert _entries(path) == [("after", 1)]
    db.close()


def test_inside_a_transaction_work_runs_there_under_its_own_savepoint(box):
    db, path = box
    counted = CountedTransactions(db)
    shared = SharedCommits(db, counted, wait_limit=10)
    def refused():
        Entry.create(who="undone", n=1)
        raise Clash("no")

    with db.atomic("IMMEDIATE"):
        Entry.create(who="outer", n=1)
        assert shared.run(_writer("inner")) == "inner written"
        with pytest.raises(Clash):
            shared.run(refused)
    assert counted.opened == 0
    assert _entries(path) == [("inner", 1), ("outer", 1)]


def test_a_lone_writer_commits_at_once(box):
    db, path = box
    counted = CountedTransactions(db)
    shared = SharedCommits(db, counted, wait_limit=10)
    assert [shared.run(_writer(f"w{i}", i)) for i in range(3)] == ["w0 written", "w1 written", "w2 written"]
    assert counted.opened == 3
    assert _entries(path) == [("w0", 0), ("w1", 1), ("w2", 2)]


def test_a_lone_refused_piece_leaves_nothing_behind_and_the_next_one_commits(box):
    db, path = box
    shared = SharedCommits(db, CountedTransactions(db), wait_limit=10)

    def refused():
        Entry.create(who="refused", n=1)
        raise Clash("room taken")

    with pytest.raises(Clash, match="room taken"):
        shared.run(refused)
    assert not db.in_transaction()
    assert shared.run(_writer("next")) == "next written"
    assert _entries(path) == [("next", 1)]


_KINDS = ("writes", "refused before writing", "refused after writing", "ends the transaction")
_examples = iter(range(10**6))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kinds=st.lists(st.sampled_from(_KINDS), min_size=2, max_size=5))
def test_every_piece_that_writes_commits_whatever_its_neighbours_do(box, kinds):
    # Whatever mix of pieces shares a transaction: each piece that writes is committed and told
    # so, each refused or failed one has no row in the file and hears its own error.
    db, path = box
    shared = SharedCommits(db, CountedTransactions(db), wait_limit=10)
    run = next(_examples)

    def piece(name, kind):
        if kind == "ends the transaction":
            return _ending_the_transaction(db)

        def work():
            if kind == "refused before writing":
                raise Clash(name)
            Entry.create(who=name, n=run)
            if kind == "refused after writing":
                raise Clash(name)
            return name
        return work

    works = {f"p{i}": piece(f"p{i}", kind) for i, kind in enumerate(kinds)}
    outcomes = _run_queued_behind_the_lock(shared, path, works)
    written = {who for who, n in _entries(path) if n == run}
    for (name, outcome), kind in zip(sorted(outcomes.items(), key=lambda o: int(o[0][1:])), kinds):
        if kind == "writes":
            assert outcome == name and name in written, (kinds, outcomes)
        else:
            assert isinstance(outcome, Clash if kind.startswith("refused") else OSError), (kinds, outcomes)
            assert name not in written, (kinds, outcomes)
    assert written == {name for name, kind in zip(works, kinds) if kind == "writes"}
