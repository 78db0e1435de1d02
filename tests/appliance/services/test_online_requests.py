"""Online requests decided on the box: booked through the engine, or flagged with the reason (SY4)."""
from datetime import datetime, timedelta, timezone

import pytest

from appliance.services.bookings import create_booking
from appliance.services.errors import Conflict, InvalidInput
from appliance.services.online_requests import decide_tentative, mark_handled, needing_attention
from appliance.storage.models.base import AuditLog
from appliance.storage.models.bookings import Booking, OnlineRequest
from appliance.storage.models.clients import Client


def tomorrow_at(hour):
    day = datetime.now(timezone.utc) + timedelta(days=1)
    return day.replace(hour=hour - 5, minute=0, second=0, microsecond=0)  # Tashkent is UTC+5


def request(small_salon, hour, phone="+998907770011", master=0):
    row = OnlineRequest(client_name="Nilufar Rashidova", client_phone=phone, starts_at=tomorrow_at(hour),
                        items=[{"service_id": small_salon["cut"].id,
                                "master_id": small_salon["masters"][master].id}])
    row.save(force_insert=True)
    return row


def test_a_free_time_is_booked_for_a_new_client_and_a_taken_one_is_flagged(small_salon, system):
    free = request(small_salon, 10)
    create_booking(system, {"client_id": small_salon["client"].id, "starts_at": tomorrow_at(14),
                            "items": [{"service_id": small_salon["cut"].id,
                                       "master_id": small_salon["masters"][0].id}]})
    taken = request(small_salon, 14, phone="+998907770022")
    decided = {r.id: r for r in decide_tentative()}
    assert decided[free.id].status == "confirmed"
    booking = Booking.get_by_id(decided[free.id].booking_id)
    assert (booking.source, booking.status) == ("online", "confirmed")
    assert Client.get_by_id(booking.client_id).phone == "+998907770011"
    flagged = decided[taken.id]
    assert flagged.status == "conflict" and "booked" in flagged.reason and flagged.booking_id is None
    assert Client.get_or_none(Client.phone == "+998907770022") is None  # nothing half-made
    assert [r.id for r in needing_attention()] == [taken.id]
    assert decide_tentative() == []


def test_the_administrator_settles_a_flagged_request_with_a_note(small_salon, system):
    create_booking(system, {"client_id": small_salon["client"].id, "starts_at": tomorrow_at(11),
                            "items": [{"service_id": small_salon["cut"].id,
                                       "master_id": small_salon["masters"][0].id}]})
    flagged = request(small_salon, 11)
    decide_tentative()
    with pytest.raises(InvalidInput, match="note"):
        mark_handled(system, flagged.id, "  ")
    handled = mark_handled(system, flagged.id, "called, booked for Friday")
    assert handled.status == "handled" and needing_attention() == []
    assert AuditLog.get(AuditLog.entity_id == flagged.id).action == "online_request.handled"
    with pytest.raises(Conflict):
        mark_handled(system, flagged.id, "again")


def test_a_request_with_a_bad_phone_is_flagged_not_lost(small_salon):
    bad = request(small_salon, 12, phone="12")
    [decided] = decide_tentative()
    assert decided.id == bad.id and decided.status == "conflict" and decided.reason
