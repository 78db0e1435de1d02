"""A new administrator's day in the journal, in real Chromium against gunicorn (BK1, BK7, BK8)."""
from datetime import date, timedelta

from appliance.storage.models.bookings import Booking, BookingItem
from tests.appliance.web.conftest import screenshot, sign_in

TOMORROW = date.today() + timedelta(days=1)


def open_day(page, day: date):
    page.goto(f"{page.base}/journal?date={day.isoformat()}")
    page.wait_for_selector(".ec-body .ec-sidebar .ec-slot:not(.ec-hidden)")
    page.wait_for_load_state("networkidle")


def column_x(page, name: str) -> float:
    header = page.locator(".ec-header .ec-col-head", has_text=name).first
    box = header.bounding_box()
    return box["x"] + box["width"] / 2


def slot_y(page, hhmm: str) -> float:
    slot = page.locator(f".ec-body .ec-sidebar .ec-slot:has(time[datetime$='T{hhmm}:00'])").first
    return slot.bounding_box()["y"]


def drag(page, event_text: str, to_column: str, to_time: str) -> int:
    """Drag an event to a master's column and time; the HTTP status of the move."""
    with page.expect_response(lambda r: r.request.method == "PATCH" and "/api/v1/bookings/" in r.url) as answer:
        _drag(page, event_text, to_column, to_time)
    return answer.value.status


def _drag(page, event_text: str, to_column: str, to_time: str):
    event = page.locator(".ec-event", has_text=event_text).first
    box = event.bounding_box()
    start_x, start_y = box["x"] + box["width"] / 2, box["y"] + 8
    page.mouse.move(start_x, start_y)
    page.mouse.down()
    target_x, target_y = column_x(page, to_column), slot_y(page, to_time) + 6
    steps = 12
    for i in range(1, steps + 1):
        page.mouse.move(start_x + (target_x - start_x) * i / steps, start_y + (target_y - start_y) * i / steps)
    page.mouse.up()
    page.wait_for_load_state("networkidle")


def test_administrators_day(page, small_salon, system):
    sign_in(page)
    open_day(page, TOMORROW)

    # Book two services for a client found by a phone fragment.
    page.click("#new-booking")
    page.fill("#client-search", "1234567")
    page.click("#client-results li:has-text('Karimova')")
    page.select_option("#service-rows .service-row >> nth=0 >> .service-select", small_salon["cut"].id)
    page.select_option("#service-rows .service-row >> nth=0 >> .master-select", small_salon["masters"][0].id)
    page.click("#add-service")
    page.select_option("#service-rows .service-row >> nth=1 >> .service-select", small_salon["laser"].id)
    page.select_option("#service-rows .service-row >> nth=1 >> .master-select", small_salon["masters"][1].id)
    page.fill("#booking-form input[name=time]", "10:00")
    screenshot(page, "booking-dialog-ru")
    page.click("#booking-save")
    page.wait_for_selector(".ec-event:has-text('Karimova')")
    booking = Booking.get()
    assert [i.master_id for i in booking.items] == [m.id for m in small_salon["masters"]]

    # Drag the haircut to the other master at the same time: accepted.
    assert drag(page, "Haircut", "Olga", "10:00") == 200
    cut = BookingItem.get(BookingItem.service == small_salon["cut"].id)
    assert cut.master_id == small_salon["masters"][1].id

    # Another client's booking at 14:00 for Dilnoza; dragging onto it is refused and put back.
    from appliance.services.bookings import create_booking
    from appliance.services.clients import create_client
    from appliance.domain.wallclock import local_to_utc
    from datetime import datetime
    from zoneinfo import ZoneInfo

    other = create_client(system, {"first_name": "Malika", "last_name": "Tursunova", "phone": "+998935550011"})
    create_booking(system, {"client_id": other.id, "starts_at": local_to_utc(
        datetime.combine(TOMORROW, datetime.min.time()).replace(hour=14), ZoneInfo("Asia/Tashkent")),
        "items": [{"service_id": small_salon["cut"].id, "master_id": small_salon["masters"][0].id}]})
    open_day(page, TOMORROW)
    assert drag(page, "Haircut", "Dilnoza", "14:00") == 409
    toast = page.wait_for_selector(".toast-error")
    assert "Dilnoza" in toast.inner_text()
    assert BookingItem.get_by_id(cut.id).master_id == small_salon["masters"][1].id
    screenshot(page, "journal-ru")

    # Mark arrival, then cancel: a reason is required and shown next to the field.
    page.click(".ec-event:has-text('Karimova') >> nth=0")
    page.wait_for_selector("#details-dialog[open]")
    page.click("#status-actions [data-status=arrived]")
    page.wait_for_function("document.querySelector('#details-status').className.includes('st-arrived')")
    page.click("#status-actions [data-status=cancelled]")
    page.wait_for_selector("#reason-field.has-error .error")
    page.fill("#status-reason", "Client felt unwell")
    page.click("#status-actions [data-status=cancelled]")
    page.wait_for_function("document.querySelector('#details-status').className.includes('st-cancelled')")
    assert Booking.get_by_id(booking.id).status == "cancelled"
    assert Booking.get_by_id(booking.id).status_reason == "Client felt unwell"
    page.click("#details-dialog [data-close]")

    # Switch to Uzbek: the journal speaks Uzbek and the choice is remembered.
    page.click(".langswitch button[value=uz]")
    page.wait_for_selector("html[lang=uz]")
    assert page.inner_text(".mainnav a[aria-current=page]") == "Jurnal"
    open_day(page, TOMORROW)
    assert page.inner_text("button[data-nav=today]") == "Bugun"
    screenshot(page, "journal-uz")


def test_a_booking_after_closing_time_is_shown_not_hidden(page, small_salon, system):
    # The salon closes at 21:00; a late visit booked on purpose outside the hours must still show.
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from appliance.domain.wallclock import local_to_utc
    from appliance.services.bookings import create_booking

    late = local_to_utc(datetime.combine(TOMORROW, datetime.min.time()).replace(hour=22), ZoneInfo("Asia/Tashkent"))
    create_booking(system, {"client_id": small_salon["client"].id, "starts_at": late, "allow_outside_hours": True,
                            "items": [{"service_id": small_salon["cut"].id,
                                       "master_id": small_salon["masters"][0].id}]})
    sign_in(page)
    open_day(page, TOMORROW)
    page.wait_for_selector(".ec-event:has-text('22:00')", timeout=10000)
    assert page.locator(".ec-body .ec-sidebar .ec-slot time[datetime$='T22:00:00']").count() == 1
