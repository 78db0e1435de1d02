"""Pruning the box's logs: acked change-log entries, card taps, dead tokens; nothing else, never the newest."""
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from appliance.domain.card_ids import card_uid_hash
from appliance.domain.print_document import Text, document
from appliance.services import print_queue, printers, sync_outbox, time_clock
from appliance.services.auth import issue_token
from appliance.services.cards import Holder, enrol_card
from appliance.services.retention import KeepFor, prune
from appliance.storage.database import database
from appliance.storage.models.access import ApiToken
from appliance.storage.models.base import AuditLog, ChangeLog, utc_now
from appliance.storage.models.printing import PrintJob
from appliance.storage.models.time_clock import CardTap, TimePunch
from appliance.storage.secrets import card_key

NOW = datetime(2027, 6, 1, 12, 0, tzinfo=timezone.utc)
KEEP = KeepFor(change_log_days=90, card_tap_days=400, token_days=30, print_job_days=60)


def _seqs() -> list[int]:
    return [seq for (seq,) in database.execute_sql("SELECT seq FROM change_log ORDER BY seq").fetchall()]


def _entry(recorded_at: datetime) -> None:
    ChangeLog.append("client", "c-1", ["name"], {"name": "x"}, recorded_at)


def test_only_acked_entries_past_the_keeping_time_go_and_the_newest_stays(salon):
    database.execute_sql("DELETE FROM change_log")
    for days_ago in (200, 150, 120, 91, 89, 10):
        _entry(NOW - timedelta(days=days_ago))
    seqs = _seqs()
    sync_outbox.record_ack(seqs[3])  # the cloud has the four oldest (200, 150, 120 and 91 days old)
    assert prune(KEEP, now=NOW)["change_log"] == 4
    assert _seqs() == seqs[4:]
    # Acked, old, but the newest entry: kept, so the next change cannot take a used number.
    sync_outbox.record_ack(seqs[-1])
    assert prune(KEEP, now=NOW + timedelta(days=365))["change_log"] == 1
    assert _seqs() == [seqs[-1]]
    _entry(NOW)
    assert _seqs() == [seqs[-1], seqs[-1] + 1]
    assert sync_outbox.pending_changes(sync_outbox.sync_state().up_acked, 10)[0]["seq"] == seqs[-1] + 1


def test_unacked_entries_are_never_pruned_however_old(salon):
    sync_outbox.record_ack(0)
    before = _seqs()
    assert before, "setting up the salon wrote change-log entries"
    assert prune(KEEP, now=utc_now() + timedelta(days=3650))["change_log"] == 0
    assert _seqs() == before


def test_the_cut_off_is_the_keeping_time(salon):
    database.execute_sql("DELETE FROM change_log")
    for _ in range(3):
        _entry(NOW)
    sync_outbox.record_ack(_seqs()[-1])
    assert prune(KEEP, now=NOW + timedelta(days=90))["change_log"] == 0
    assert prune(KEEP, now=NOW + timedelta(days=90, seconds=1))["change_log"] == 2


def test_batches_prune_everything_due_each_with_its_audit_entry(salon):
    database.execute_sql("DELETE FROM change_log")
    for i in range(25):
        _entry(NOW - timedelta(days=100, minutes=i))
    sync_outbox.record_ack(_seqs()[-1])
    pruned = AuditLog.select().where(AuditLog.action == "retention.pruned")
    assert pruned.count() == 0
    assert prune(KEEP, now=NOW, batch=4) == {"change_log": 24, "card_tap": 0, "api_token": 0, "print_job": 0}
    entries = list(pruned.order_by(AuditLog.id))
    assert [e.details["rows"] for e in entries] == [4] * 6
    assert all(e.actor_kind == "system" and e.entity == "change_log" and e.details["kept_days"] == 90
               for e in entries)
    assert entries[-1].entity_id == str(_seqs()[0] - 1), "the last key of the last batch"
    assert prune(KEEP, now=NOW, batch=4) == {"change_log": 0, "card_tap": 0, "api_token": 0, "print_job": 0}
    assert pruned.count() == 6


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ages=st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=30),
       acked_share=st.floats(min_value=0, max_value=1), keep_days=st.integers(min_value=1, max_value=200))
def test_what_stays_is_unacked_or_young_or_the_newest(salon, ages, acked_share, keep_days):
    database.execute_sql("DELETE FROM change_log")
    database.execute_sql("UPDATE sync_state SET up_acked = 0")
    for days in ages:
        _entry(NOW - timedelta(days=days, seconds=1))
    seqs = _seqs()
    acked = seqs[0] - 1 + round(acked_share * len(seqs))
    sync_outbox.record_ack(acked)
    prune(KeepFor(change_log_days=keep_days), now=NOW, batch=7)
    expected = [seq for seq, days in zip(seqs, ages) if seq > acked or days < keep_days or seq == seqs[-1]]
    assert _seqs() == expected


@pytest.fixture
def card_hash(small_salon, system, app):
    uid_hash = card_uid_hash(bytes.fromhex("04a21b7c558001"), card_key(app.config["DATA_DIR"]))
    enrol_card(system, Holder("staff", small_salon["masters"][0].id), uid_hash, "blue tag")
    return uid_hash


def test_old_taps_go_their_punches_stay(card_hash):
    old = datetime(2025, 3, 2, 4, 0, tzinfo=timezone.utc)
    for hours in (0, 9, 24, 33):
        time_clock.handle_tap("reception", card_hash, old + timedelta(hours=hours))
    time_clock.handle_tap("reception", card_hash, NOW - timedelta(days=10))
    time_clock.handle_tap("reception", card_hash, NOW - timedelta(days=10, hours=-9))
    punches = TimePunch.select().count()
    taps = [t.id for t in CardTap.select().order_by(CardTap.id)]
    assert prune(KEEP, now=NOW)["card_tap"] == 4
    assert [t.id for t in CardTap.select().order_by(CardTap.id)] == taps[4:]
    assert TimePunch.select().count() == punches
    # All taps old: the newest stays, so the kiosk's "taps after id N" never sees a number again.
    assert prune(KEEP, now=NOW + timedelta(days=800))["card_tap"] == 1
    assert [t.id for t in CardTap.select()] == [taps[-1]]


def test_dead_tokens_go_live_ones_and_devices_without_expiry_stay(small_salon):
    staff = small_salon["masters"][0]
    live = issue_token(staff, timedelta(hours=12))
    expired = issue_token(staff, timedelta(hours=12))
    ApiToken.update(expires_at=utc_now() - timedelta(days=31)).where(
        ApiToken.expires_at == expired.expires_at).execute()
    no_expiry = ApiToken.create(token_hash="f" * 64, staff=staff, expires_at=None)
    count = ApiToken.select().count()
    assert prune(KEEP)["api_token"] == 1
    assert ApiToken.select().count() == count - 1
    assert ApiToken.get_or_none(ApiToken.expires_at == live.expires_at) is not None
    assert ApiToken.get_or_none(ApiToken.id == no_expiry.id) is not None


@pytest.mark.parametrize("name", ["CHANGE_LOG_KEEP_DAYS", "CARD_TAP_KEEP_DAYS", "TOKEN_KEEP_DAYS",
                                  "PRINT_JOB_KEEP_DAYS"])
def test_a_keeping_time_under_a_day_is_refused_by_name(name):
    config = {"CHANGE_LOG_KEEP_DAYS": 90, "CARD_TAP_KEEP_DAYS": 400, "TOKEN_KEEP_DAYS": 30,
              "PRINT_JOB_KEEP_DAYS": 60, name: 0}
    with pytest.raises(ValueError, match=f"SALON_BOX_{name} must be at least 1 day"):
        KeepFor.from_config(config)


@pytest.fixture
def receipt_printer(salon, system):
    return printers.create_printer(system, {"name": "Kassa", "role": "receipt", "connection": "network",
                                            "address": "10.0.0.5", "profile": "TM-T88V", "paper_width_mm": 80,
                                            "code_page": "auto"})


def _job(system, title: str, state: str, days_ago: int) -> PrintJob:
    job = print_queue.enqueue(system, "receipt", document(Text(title)), "receipt", title)
    PrintJob.update(state=state, created_at=NOW - timedelta(days=days_ago)).where(PrintJob.id == job.id).execute()
    return PrintJob.get_by_id(job.id)


def _titles() -> list[str]:
    return [j.title for j in PrintJob.select().order_by(PrintJob.id)]


def test_old_printed_and_cancelled_jobs_go_waiting_ones_and_reprinted_originals_stay(system, receipt_printer):
    _job(system, "old done", "done", 61)
    _job(system, "old cancelled", "cancelled", 100)
    _job(system, "old but stuck", "failed-retrying", 200)  # never printed: the queue still owes it
    _job(system, "old interrupted", "interrupted", 200)
    original = _job(system, "old, copied since", "done", 90)
    copy = print_queue.reprint(system, original.id)
    PrintJob.update(state="done", created_at=NOW - timedelta(days=10)).where(PrintJob.id == copy.id).execute()
    _job(system, "young done", "done", 59)
    assert prune(KEEP, now=NOW)["print_job"] == 2
    assert _titles() == ["old but stuck", "old interrupted", "old, copied since", "old, copied since", "young done"]
    # Once its copy has gone too, the original goes; the newest job always stays.
    assert prune(KEEP, now=NOW + timedelta(days=400))["print_job"] == 1
    assert prune(KEEP, now=NOW + timedelta(days=400))["print_job"] == 1
    assert _titles() == ["old but stuck", "old interrupted", "young done"]
    entry = AuditLog.select().where((AuditLog.action == "retention.pruned") & (AuditLog.entity == "print_job")).first()
    assert entry.details["kept_days"] == 60
