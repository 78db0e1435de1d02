"""Online booking through the box (SY4): confirmed within seconds when the box is online; when it was offline
and the time got taken meanwhile, the clash is shown to the administrator with the client's contacts."""
import time
from datetime import datetime, timedelta, timezone

from appliance.services.bookings import create_booking
from appliance.services.online_requests import needing_attention
from appliance.storage.models.bookings import Booking, BookingItem
from cloud.services.online_booking import request_booking, request_state
from cloud.storage.models import Box
from tests.cloud.sync_processes import wait_until


def at(day_offset, hour):
    day = datetime.now(timezone.utc) + timedelta(days=day_offset)
    return day.replace(hour=hour - 5, minute=0, second=0, microsecond=0)


def items(small_salon, master=0):
    return [{"service_id": small_salon["cut"].id, "master_id": small_salon["masters"][master].id}]


def salon_of(box_id):
    wait_until(lambda: Box.get_by_id(box_id).salon_id is not None, 30, "the box's first batch")
    return Box.get_by_id(box_id).salon_id


def test_a_request_while_the_box_is_online_is_confirmed_within_seconds(sync_pair, small_salon, box_id):
    agent, worker = sync_pair
    worker.start()
    agent.start()
    salon = salon_of(box_id)
    asked = time.monotonic()
    made = request_booking(salon, "Nilufar Rashidova", "+998907770011", items(small_salon), at(1, 10))
    wait_until(lambda: request_state(made.entity_id)["status"] != "tentative", 20, "the box's decision",
               (agent, worker))
    took = time.monotonic() - asked
    state = request_state(made.entity_id)
    assert state["status"] == "confirmed" and took < 10
    booking = Booking.get_by_id(state["booking"])
    assert booking.source == "online" and booking.status == "confirmed"


def test_a_request_taken_offline_that_clashes_is_flagged_never_double_booked(sync_pair, system, small_salon,
                                                                             box_id):
    agent, worker = sync_pair
    worker.start()
    agent.start()
    salon = salon_of(box_id)
    agent.stop()  # the salon's internet is down
    made = request_booking(salon, "Dilshod Karimov", "+998907770033", items(small_salon), at(2, 15))
    time.sleep(1)
    assert request_state(made.entity_id)["status"] == "tentative"  # held, not lost
    create_booking(system, {"client_id": small_salon["client"].id, "starts_at": at(2, 15),
                            "items": items(small_salon)})  # meanwhile the administrator books the time
    agent.start()
    wait_until(lambda: request_state(made.entity_id)["status"] == "conflict", 30, "the clash reported",
               (agent, worker))
    [flagged] = needing_attention()
    assert (flagged.client_name, flagged.client_phone) == ("Dilshod Karimov", "+998907770033")
    items_then = BookingItem.select().join(Booking).where(
        (BookingItem.master == small_salon["masters"][0].id) & (BookingItem.starts_at == at(2, 15))
        & Booking.status.not_in(["cancelled"]))
    assert items_then.count() == 1
