"""The time clock's taps (ST4, KI2): alternate in and out, repeats, unknown and revoked cards, races."""
import multiprocessing
import stat
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from appliance.domain.card_ids import card_uid_hash
from appliance.services import time_clock
from appliance.services.cards import Holder, enrol_card, revoke_card
from appliance.services.errors import InvalidInput
from appliance.storage import statements
from appliance.storage.database import database
from appliance.storage.models.base import ChangeLog
from appliance.storage.models.time_clock import Card, CardTap, TimePunch
from appliance.storage.secrets import card_key

READER = "reception"
UID = bytes.fromhex("04a21b7c558001")
T0 = datetime(2026, 3, 2, 4, 0, tzinfo=timezone.utc)  # 09:00 in Tashkent


@pytest.fixture
def key(app):
    return card_key(app.config["DATA_DIR"])


@pytest.fixture
def master(small_salon):
    return small_salon["masters"][0]


@pytest.fixture
def card_hash(key, master, system):
    """Dilnoza's enrolled card."""
    uid_hash = card_uid_hash(UID, key)
    enrol_card(system, Holder("staff", master.id), uid_hash, "blue tag")
    return uid_hash


def tap(uid_hash, at, **kw):
    return time_clock.handle_tap(READER, uid_hash, at, **kw)


def test_the_card_key_is_made_once_and_readable_only_by_the_box(app, key):
    path = Path(app.config["DATA_DIR"]) / "card_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(key) == 32 and card_key(app.config["DATA_DIR"]) == key


def test_taps_alternate_clock_in_and_out(card_hash, master):
    first = tap(card_hash, T0)
    assert (first.outcome, first.punch_kind, first.staff_id, first.display_name) == ("clock_in", "in", master.id, "Dilnoza")
    assert first.message_key == "timeclock.clocked_in" and first.punch_at == T0
    second = tap(card_hash, T0 + timedelta(hours=9))
    assert (second.outcome, second.punch_kind) == ("clock_out", "out")
    third = tap(card_hash, T0 + timedelta(hours=9, minutes=30))
    assert third.outcome == "clock_in"
    punches = list(TimePunch.select().order_by(TimePunch.at))
    assert [(p.kind, p.source, p.reader) for p in punches] == [("in", "card", READER), ("out", "card", READER),
                                                               ("in", "card", READER)]


def test_a_second_tap_within_the_window_is_ignored_and_a_held_card_stays_ignored(card_hash):
    tap(card_hash, T0)
    again = tap(card_hash, T0 + timedelta(seconds=30))
    assert (again.outcome, again.punch_kind, again.punch_at) == ("repeat_ignored", "in", T0)
    assert tap(card_hash, T0 + timedelta(seconds=80)).outcome == "repeat_ignored"  # 50 s after the last one
    assert tap(card_hash, T0 + timedelta(seconds=200)).outcome == "clock_out"
    assert tap(card_hash, T0 + timedelta(seconds=220), repeat_window=timedelta(seconds=10)).outcome == "clock_in"
    assert TimePunch.select().count() == 3


def test_a_forgotten_clock_out_starts_a_new_shift_and_a_night_shift_ends_after_midnight(card_hash):
    assert tap(card_hash, T0).outcome == "clock_in"  # Monday 09:00, and no clock-out that evening
    tuesday = T0 + timedelta(days=1)
    assert tap(card_hash, tuesday).outcome == "clock_in"  # 24 h later: a new shift, not a clock-out
    assert tap(card_hash, tuesday + timedelta(hours=9)).outcome == "clock_out"
    night = T0 + timedelta(days=2, hours=11)  # Wednesday 20:00
    assert tap(card_hash, night).outcome == "clock_in"
    assert tap(card_hash, night + timedelta(hours=8)).outcome == "clock_out"  # Thursday 04:00
    assert TimePunch.select().where(TimePunch.kind == "in").count() == 3


def test_unknown_revoked_and_client_cards(card_hash, key, system, small_salon):
    stranger = card_uid_hash(bytes.fromhex("deadbeef"), key)
    unknown = tap(stranger, T0)
    assert (unknown.outcome, unknown.staff_id, unknown.message_key) == ("unknown", None, "timeclock.unknown_card")
    card = statements.find_one(Card, uid_hash=card_hash, active=True)
    revoke_card(system, card.id, "lost")
    revoked = tap(card_hash, T0 + timedelta(hours=1))
    assert (revoked.outcome, revoked.punch_id) == ("revoked", None)
    client = small_salon["client"]
    loyalty = card_uid_hash(bytes.fromhex("0102030405060708"), key)
    enrol_card(system, Holder("client", client.id), loyalty)
    seen = tap(loyalty, T0)
    assert (seen.outcome, seen.client_id, seen.display_name) == ("client", client.id, "Aziza")
    assert TimePunch.select().count() == 0


def test_taps_are_listed_for_the_kiosk_and_the_enrolment_page(card_hash, key):
    stranger = card_uid_hash(bytes.fromhex("deadbeef"), key)
    now = datetime.now(timezone.utc)
    first = time_clock.handle_tap(READER, card_hash, now - timedelta(minutes=5))
    time_clock.handle_tap("back door", stranger, now - timedelta(seconds=20))
    second = time_clock.handle_tap(READER, stranger, now - timedelta(seconds=10))
    assert [t.id for t in time_clock.taps_since(READER, 0)] == [first.id, second.id]
    assert [t.id for t in time_clock.taps_since(READER, first.id)] == [second.id]
    assert len(time_clock.taps_since(None, 0)) == 3
    assert [t.id for t in time_clock.taps_since(None, 0, newest_only=True)] == [second.id]
    assert time_clock.tap_by_id(second.id).outcome == "unknown" and time_clock.tap_by_id(999) is None
    latest = time_clock.latest_unknown_tap(now - timedelta(minutes=1))
    assert latest.id == second.id
    assert time_clock.latest_unknown_tap(now - timedelta(minutes=1), reader="back door").reader == "back door"
    assert time_clock.latest_unknown_tap(now) is None


def test_bad_input_names_the_field(card_hash):
    for args, field in (((READER, "04a21b7c558001"), "uid_hash"), (("", card_hash), "reader"),
                        ((READER, card_hash, datetime(2026, 3, 2, 9)), "at")):
        with pytest.raises(InvalidInput) as caught:
            time_clock.handle_tap(*args)
        assert caught.value.fields[0][0] == field


def test_no_uid_in_clear_reaches_the_database_or_the_outbox(app, card_hash):
    tap(card_hash, T0)
    raw = Path(app.config["DATABASE"]).read_bytes() + b"".join(
        Path(app.config["DATABASE"] + suffix).read_bytes() for suffix in ("-wal",)
        if Path(app.config["DATABASE"] + suffix).exists())
    assert UID not in raw and UID.hex().encode() not in raw and UID.hex().upper().encode() not in raw
    entities = {c.entity for c in ChangeLog.select()}
    assert {"card", "time_punch"} <= entities and "card_tap" not in entities


def _tap_in_another_process(path, uid_hash, barrier, results):
    from appliance.storage.database import open_database

    db = open_database(path)
    db.connect()
    barrier.wait()
    results.put(time_clock.handle_tap(READER, uid_hash).outcome)
    db.close()


def test_the_same_tap_handled_by_two_processes_at_once_makes_one_punch(app, card_hash):
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    workers = [context.Process(target=_tap_in_another_process,
                               args=(app.config["DATABASE"], card_hash, barrier, results)) for _ in range(2)]
    for worker in workers:
        worker.start()
    outcomes = sorted(results.get(timeout=60) for _ in workers)
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    assert outcomes == ["clock_in", "repeat_ignored"]
    assert TimePunch.select().count() == 1


def test_threads_tapping_at_once_make_one_punch(card_hash):
    barrier, outcomes = threading.Barrier(6), []

    def worker():
        barrier.wait()
        outcomes.append(time_clock.handle_tap(READER, card_hash).outcome)
        database.close()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["clock_in"] + ["repeat_ignored"] * 5
    assert TimePunch.select().count() == 1 and CardTap.select().count() == 6
