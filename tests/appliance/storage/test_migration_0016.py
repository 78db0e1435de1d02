"""Migration 0016 (the kind of actor that made a booking) on a box that holds bookings and their history."""
import sqlite3

from playhouse.schema_diff import diff_models

from appliance.services import bookings
from appliance.storage.models.bookings import Booking
from tests.appliance.storage.test_migration_0014 import LATER, NOW, _fill

MIGRATION = "0016_booking_created_by_kind"


def _columns(path) -> list:
    return [r[1] for r in sqlite3.connect(path).execute("PRAGMA table_info(booking)")]


def test_0016_adds_the_kind_keeps_old_bookings_and_their_created_entry_and_reverts(box_before):
    db, runner, path = box_before("0016")
    _fill(db)
    raw = db.connection()
    raw.execute("INSERT INTO booking_event (id,rev,synced_rev,created_at,updated_at,booking_id,kind,from_status,"
                "to_status,reason,changes,actor_kind,actor_id) VALUES ('e1',1,0,?,?,'b1','created',NULL,'confirmed',"
                "'','{\"items\":[]}','staff','a1')", (NOW, NOW))
    raw.commit()

    assert runner.up(MIGRATION) == [MIGRATION]

    assert "created_by_kind" in _columns(path)
    assert not diff_models(db, [Booking])
    old = Booking.get_by_id("b1")
    assert (old.created_by_kind, old.code, old.status, str(old.total)) == (None, "123456", "confirmed", "120000.00")
    # A booking made before keeps its stored entry, shown once.
    shown, = bookings.history("b1")
    assert (shown.id, shown.kind, shown.actor_id) == ("e1", "created", "a1")
    assert runner.down(MIGRATION) == [MIGRATION]
    assert "created_by_kind" not in _columns(path)
    assert sqlite3.connect(path).execute("SELECT id, code, starts_at FROM booking").fetchall() == [
        ("b1", "123456", LATER)]
    db.close()
