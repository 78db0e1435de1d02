"""The kiosk's use cases on a real SQLite box: finding today's visit, arriving, walk-ins, a master's day."""
from datetime import datetime, timedelta, timezone

import pytest

from appliance.services import kiosk
from appliance.services.bookings import create_booking
from appliance.services.context import Actor
from appliance.services.errors import Conflict, InvalidInput, NotFound
from appliance.storage.models.bookings import Booking, BookingEvent
from appliance.storage.models.clients import Client
from appliance.storage.models.time_clock import CardTap

# 10:00 in Tashkent (UTC+5) on a Wednesday.
NOW = datetime(2026, 12, 2, 5, 0, tzinfo=timezone.utc)
KIOSK = Actor("device", "kiosk-1", "kiosk")


@pytest.fixture
def book(small_salon, system):
    """Book the haircut for the small salon's client at a UTC instant, with the first master."""
    def make(starts_at, master=0, client=None):
        return create_booking(system, {
            "client_id": (client or small_salon["client"]).id, "starts_at": starts_at,
            "items": [{"service_id": small_salon["cut"].id, "master_id": small_salon["masters"][master].id}]})
    return make


def test_a_phone_finds_only_todays_visits_and_shows_no_surname(book):
    today = book(NOW + timedelta(hours=1))
    book(NOW + timedelta(days=1))
    visits = kiosk.visits_by_phone("90 123 45 67", now=NOW)
    assert [v.booking_id for v in visits] == [today.id]
    visit = visits[0]
    assert visit.first_name == "Aziza" and "Karimova" not in repr(visit)
    assert visit.starts_at.strftime("%H:%M") == "11:00" and visit.services == ["Haircut"]
    assert visit.masters == ["Dilnoza"] and visit.can_arrive


def test_a_wrong_phone_names_the_field_and_an_unknown_one_finds_nothing(book):
    book(NOW + timedelta(hours=1))
    with pytest.raises(InvalidInput) as error:
        kiosk.visits_by_phone("12", now=NOW)
    assert error.value.fields[0][0] == "phone"
    assert kiosk.visits_by_phone("+998 93 000 00 00", now=NOW) == []


@pytest.mark.parametrize("scanned", ["{code}", "SALON:{code}", "https://salon.example/b/{code}", "{a} {b}"])
def test_a_code_is_read_from_typed_or_scanned_text(book, scanned):
    booking = book(NOW + timedelta(hours=2))
    text = scanned.format(code=booking.code, a=booking.code[:3], b=booking.code[3:])
    assert [v.booking_id for v in kiosk.visits_by_code(text, now=NOW)] == [booking.id]


def test_a_code_without_six_digits_is_refused():
    with pytest.raises(InvalidInput) as error:
        kiosk.booking_code_of("12 34")
    assert error.value.fields[0][0] == "code"


def test_arriving_marks_the_booking_and_writes_its_history(book):
    booking = book(NOW + timedelta(minutes=30))
    visit = kiosk.confirm_arrival(KIOSK, booking.id, now=NOW)
    assert visit.status == "arrived" and not visit.can_arrive
    assert Booking.get_by_id(booking.id).status == "arrived"
    event = BookingEvent.select().where(BookingEvent.booking == booking.id).order_by(BookingEvent.id.desc()).first()
    assert (event.from_status, event.to_status) == ("confirmed", "arrived")
    # A second tap of "I am here" changes nothing and is not an error.
    assert kiosk.confirm_arrival(KIOSK, booking.id, now=NOW).status == "arrived"


def test_another_days_or_a_far_off_visit_cannot_be_checked_in(book):
    tomorrow = book(NOW + timedelta(days=1))
    with pytest.raises(NotFound):
        kiosk.confirm_arrival(KIOSK, tomorrow.id, now=NOW)
    evening = book(NOW + timedelta(hours=6))
    with pytest.raises(Conflict) as error:
        kiosk.confirm_arrival(KIOSK, evening.id, now=NOW)
    assert error.value.code == "not_now"
    assert Booking.get_by_id(evening.id).status == "confirmed"


def test_a_walk_in_gets_the_nearest_free_times_today(book, small_salon):
    book(NOW, master=0)
    book(NOW, master=1)
    slots = kiosk.walk_in_slots(small_salon["cut"].id, now=NOW)
    # Both masters are busy until 11:00 plus the 15-minute clean-up.
    assert slots and slots[0]["starts_at"] == NOW + timedelta(minutes=75)
    assert len(slots) <= kiosk.WALK_IN_SLOTS


def test_a_new_walk_in_needs_a_name_and_becomes_a_client(small_salon):
    slot = kiosk.walk_in_slots(small_salon["cut"].id, now=NOW)[0]
    data = {"service_id": small_salon["cut"].id, "master_id": slot["items"][0]["master_id"],
            "starts_at": slot["starts_at"], "phone": "93 555 44 33", "first_name": ""}
    with pytest.raises(InvalidInput) as error:
        kiosk.book_walk_in(KIOSK, data, now=NOW)
    assert error.value.fields[0][0] == "first_name"
    assert Client.select().where(Client.phone == "+998935554433").count() == 0
    visit = kiosk.book_walk_in(KIOSK, {**data, "first_name": "Nodira"}, now=NOW)
    booking = Booking.get_by_id(visit.booking_id)
    assert (booking.status, booking.source, booking.client.first_name) == ("arrived", "kiosk", "Nodira")


def test_a_known_walk_in_is_booked_on_their_card(small_salon):
    slot = kiosk.walk_in_slots(small_salon["cut"].id, now=NOW)[0]
    visit = kiosk.book_walk_in(KIOSK, {"service_id": small_salon["cut"].id,
                                       "master_id": slot["items"][0]["master_id"], "starts_at": slot["starts_at"],
                                       "phone": "+998901234567", "first_name": ""}, now=NOW)
    assert Booking.get_by_id(visit.booking_id).client_id == small_salon["client"].id


def test_a_walk_in_for_another_day_is_refused(small_salon):
    with pytest.raises(InvalidInput) as error:
        kiosk.book_walk_in(KIOSK, {"service_id": small_salon["cut"].id, "master_id": small_salon["masters"][0].id,
                                   "starts_at": NOW + timedelta(days=1), "phone": "+998901234567"}, now=NOW)
    assert error.value.fields[0][0] == "starts_at"


def test_a_masters_day_lists_their_services_in_order(book, small_salon):
    book(NOW + timedelta(hours=3))
    book(NOW + timedelta(hours=1))
    book(NOW + timedelta(hours=2), master=1)
    day = kiosk.master_day(small_salon["masters"][0].id, now=NOW)
    assert [(i.starts_at.strftime("%H:%M"), i.service, i.client_first_name) for i in day] == [
        ("11:00", "Haircut", "Aziza"), ("13:00", "Haircut", "Aziza")]


def test_taps_are_answered_only_at_their_reader_and_only_while_fresh(salon):
    old = CardTap.create(reader="Door", at=NOW - timedelta(minutes=5), uid_hash="a" * 64, outcome="unknown")
    door = CardTap.create(reader="Door", at=NOW, uid_hash="b" * 64, outcome="unknown")
    desk = CardTap.create(reader="Desk", at=NOW, uid_hash="c" * 64, outcome="unknown")
    assert [t.id for t in kiosk.taps_after("Door", 0, now=NOW)] == [door.id]
    assert [t.id for t in kiosk.taps_after("", 0, now=NOW)] == [door.id, desk.id]
    assert kiosk.taps_after("Door", door.id, now=NOW) == []
    assert kiosk.latest_tap_id("Door") == door.id
    assert kiosk.recent_tap(desk.id, "Door", now=NOW) is None
    assert kiosk.recent_tap(old.id, "Door", now=NOW) is None
    assert kiosk.recent_tap(door.id, "Door", now=NOW).id == door.id
