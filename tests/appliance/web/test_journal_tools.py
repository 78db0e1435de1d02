"""Journal tools in the browser: group sign-up (BK5), nearest free time (BK6), blocked time (BK11)."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from appliance.domain.wallclock import local_to_utc
from appliance.services import group_events
from appliance.services.clients import create_client
from appliance.storage.models.bookings import Booking
from appliance.storage.models.schedules import TimeBlock
from tests.appliance.web.conftest import sign_in
from tests.appliance.web.test_journal_day import open_day

TOMORROW = date.today() + timedelta(days=1)
TZ = ZoneInfo("Asia/Tashkent")


def at(hour, minute=0):
    return local_to_utc(datetime.combine(TOMORROW, time(hour, minute)), TZ)


def test_group_event_sign_up_until_full(page, small_salon, system):
    event = group_events.create_event(system, {"service_id": small_salon["cut"].id, "title": "Braids class",
                                               "master_id": small_salon["masters"][1].id, "starts_at": at(15),
                                               "capacity": 1})
    create_client(system, {"first_name": "Nilufar", "last_name": "Saidova", "phone": "+998977001122"})
    sign_in(page)
    open_day(page, TOMORROW)
    page.click(".ec-event:has-text('Braids class')")
    page.wait_for_selector("#group-dialog[open]")
    page.fill("#group-client-search", "Karimova")
    page.click("#group-client-results li:has-text('Karimova')")
    page.wait_for_selector("#group-count:has-text('1 / 1')")
    page.fill("#group-client-search", "Saidova")
    page.click("#group-client-results li:has-text('Saidova')")
    assert "full" in page.wait_for_selector("#group-error:not([hidden])").inner_text()
    assert group_events.booked_count(event) == 1


def test_nearest_free_time_opens_a_prefilled_booking(page, small_salon):
    sign_in(page)
    open_day(page, TOMORROW)
    page.click("#find-free")
    page.select_option("#free-form select[name=service_id]", small_salon["laser"].id)
    page.click("#free-form button[type=submit]")
    page.click("#free-results button >> nth=0")
    page.wait_for_selector("#booking-dialog[open]")
    page.fill("#client-search", "Aziza")
    page.click("#client-results li:has-text('Karimova')")
    page.click("#booking-save")
    page.wait_for_selector("#booking-dialog[open]", state="detached")
    booking = Booking.get()
    assert booking.items[0].service_id == small_salon["laser"].id
    assert booking.items[0].equipment_id == small_salon["laser_unit"].id


def test_blocked_time_is_shown_and_removed(page, small_salon, system):
    sign_in(page)
    open_day(page, TOMORROW)
    page.click("#new-block")
    page.fill("#block-form input[name=date]", TOMORROW.isoformat())
    page.fill("#block-form input[name=from]", "13:00")
    page.fill("#block-form input[name=to]", "12:00")
    page.fill("#block-form input[name=reason]", "Lunch")
    page.click("#block-form button[type=submit]")
    assert page.wait_for_selector("#block-form .has-error .error").inner_text()
    assert page.input_value("#block-form input[name=reason]") == "Lunch"
    page.fill("#block-form input[name=to]", "14:00")
    page.click("#block-form button[type=submit]")
    page.wait_for_selector(".ec-event.blocked:has-text('Lunch')")
    page.click(".ec-event.blocked:has-text('Lunch')")
    page.click("#block-remove")
    page.wait_for_selector(".ec-event.blocked", state="detached")
    assert not TimeBlock.get().active


def test_new_client_in_place_with_a_bad_phone_keeps_what_was_typed(page, small_salon):
    sign_in(page)
    open_day(page, TOMORROW)
    page.click("#new-booking")
    page.fill("#client-search", "Zarina")
    page.click("#client-results li.create")
    page.fill("#new-client input[name=last_name]", "Qodirova")
    page.fill("#new-client input[name=phone]", "12345")
    page.select_option("#service-rows .service-row >> nth=0 >> .service-select", small_salon["laser"].id)
    assert page.is_visible("#service-rows .room-field") and page.is_visible("#service-rows .equipment-field")
    page.select_option("#service-rows .service-row >> nth=0 >> .master-select", small_salon["masters"][0].id)
    page.select_option("#service-rows .service-row >> nth=0 >> .room-select", small_salon["room"].id)
    page.fill("#booking-form input[name=time]", "12:00")
    page.click("#booking-save")
    error = page.wait_for_selector("#new-client .has-error .error")
    assert error.inner_text()
    assert page.input_value("#new-client input[name=first_name]") == "Zarina"
    assert page.input_value("#new-client input[name=last_name]") == "Qodirova"
    page.fill("#new-client input[name=phone]", "+998 90 765 43 21")
    page.click("#booking-save")
    page.wait_for_selector("#booking-dialog[open]", state="detached")
    (item,) = Booking.get().items
    assert item.room_id == small_salon["room"].id and item.equipment_id == small_salon["laser_unit"].id
