"""A new booking's rows are built before the write lock: what is settled under it is still what is written."""
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from appliance.domain.wallclock import local_to_utc
from appliance.services import bookings
from appliance.storage.models.base import AuditLog, ChangeLog, utc_now
from appliance.storage.models.bookings import Booking, BookingEvent, BookingItem

TZ = ZoneInfo("Asia/Tashkent")
MONDAY = date(2026, 12, 7)


def at(hour: int, minute: int = 0):
    return local_to_utc(datetime.combine(MONDAY, time(hour, minute)), TZ)


@pytest.fixture
def book(small_salon, system):
    """Book ``service`` with the first master at ``hour``:``minute``; the booking."""
    def booking(service, hour, minute=0):
        return bookings.create_booking(system, {
            "client_id": small_salon["client"].id, "starts_at": at(hour, minute),
            "items": [{"service_id": small_salon[service].id, "master_id": small_salon["masters"][0].id}]})
    return booking


def _outbox(entity_id: str) -> list[dict]:
    return [row.payload for row in ChangeLog.select().where(ChangeLog.entity_id == entity_id).order_by(ChangeLog.seq)]


def test_a_room_and_equipment_picked_under_the_lock_are_what_the_item_and_its_outbox_entry_hold(book, small_salon):
    booking = book("laser", 10)

    item, = BookingItem.select().where(BookingItem.booking == booking.id)
    assert (item.room_id, item.equipment_id) == (small_salon["room"].id, small_salon["laser_unit"].id)
    assert [(i.room_id, i.equipment_id) for i in booking.written_items] == [(item.room_id, item.equipment_id)]
    entry, = _outbox(item.id)
    assert (entry["room"], entry["equipment"]) == (item.room_id, item.equipment_id)
    created, = bookings.history(booking.id)
    assert created.changes["items"][0]["room_id"] == small_salon["room"].id
    audit, = AuditLog.select().where(AuditLog.entity_id == booking.id)
    assert audit.details["items"][0]["room_id"] == small_salon["room"].id
    # Written once: the rows first built without the room were never run.
    assert Booking.select().count() == 1 and BookingItem.select().count() == 1


def test_a_code_taken_before_the_write_is_replaced_in_the_row_and_its_outbox_entry(book, monkeypatch):
    first = book("cut", 10)
    candidates = iter([first.code, first.code, "654321"])
    monkeypatch.setattr(bookings, "_code_candidate", lambda: next(candidates))

    second = book("cut", 12)

    assert second.code == "654321"
    assert Booking.get_by_id(second.id).code == "654321"
    assert [entry["code"] for entry in _outbox(second.id)] == ["654321"]
    assert Booking.select().where(Booking.code == first.code).count() == 1
    assert BookingItem.select().where(BookingItem.booking == second.id).count() == 1


def test_every_row_of_a_new_booking_has_one_outbox_entry_of_revision_one(book, system):
    booking = book("cut", 10)

    item, = booking.written_items
    for row in (booking, item):
        entry, = _outbox(row.id)
        assert entry == type(row).get_by_id(row.id).snapshot()
        assert entry["rev"] == 1
    assert _outbox(booking.id)[0]["created_by_kind"] == system.kind
    # Its creation is on the row: no history entry is stored for it.
    assert BookingEvent.select().where(BookingEvent.booking == booking.id).count() == 0
    assert not ChangeLog.select().where(ChangeLog.entity == "booking_event").exists()


def test_one_clock_reading_stamps_every_row_of_a_new_booking(book):
    before = utc_now()
    booking = book("cut", 11)
    item, = BookingItem.select().where(BookingItem.booking == booking.id)
    audit, = AuditLog.select().where(AuditLog.entity_id == booking.id)
    stored = Booking.get_by_id(booking.id)
    stamps = {stored.created_at, stored.updated_at, item.created_at, item.updated_at, audit.at}
    stamps |= {entry.recorded_at for entry in ChangeLog.select().where(
        ChangeLog.entity_id.in_([booking.id, item.id]))}
    assert len(stamps) == 1 and before <= stamps.pop() <= utc_now()


def test_the_created_entry_shows_the_first_status_and_items_whatever_came_after(book, system, small_salon):
    untouched = book("cut", 9)
    changed = book("cut", 12)
    bookings.set_status(system, changed.id, "arrived")
    bookings.update_booking(system, changed.id, {"starts_at": at(14)})

    alone, = bookings.history(untouched.id)
    assert (alone.kind, alone.to_status, alone.actor_kind, alone.actor_id) == ("created", "confirmed", "system",
                                                                             system.id)
    assert alone.created_at == Booking.get_by_id(untouched.id).created_at
    assert alone.changes["items"][0]["starts_at"] == at(9).isoformat()
    created, arrived, moved = bookings.history(changed.id)
    assert [e.kind for e in (created, arrived, moved)] == ["created", "status", "moved"]
    assert created.to_status == "confirmed" and Booking.get_by_id(changed.id).status == "arrived"
    assert created.changes["items"][0]["starts_at"] == at(12).isoformat()
    assert moved.changes["after"]["items"][0]["starts_at"] == at(14).isoformat()
