"""The kiosk in headless Chromium on a touch-sized screen: pairing, check-in by phone and by code, card taps."""
from datetime import timedelta

import pytest

from appliance.domain.card_ids import card_uid_hash
from appliance.domain.wallclock import day_bounds, to_local
from appliance.services import cards, time_clock
from appliance.services.bookings import create_booking
from appliance.services.context import SalonContext
from appliance.storage.models.base import utc_now
from appliance.storage.models.bookings import Booking
from appliance.services.staff import create_staff
from tests.appliance.web.conftest import ADMIN_PASSWORD
from tests.infra.fake_camera import write_y4m
from tests.kiosk_ui.conftest import screenshot, sign_in

KEY = b"k" * 32


@pytest.fixture
def manager(small_salon, system):
    """The salon's manager, who sets up devices."""
    return create_staff(system, {"first_name": "Malika", "role": "manager", "username": "malika",
                                 "password": ADMIN_PASSWORD})


@pytest.fixture
def kiosk(browser, manager, live, page):
    """A kiosk screen (1280x800, touch) paired through the manager's Kiosks page."""
    sign_in(page, "malika")
    page.goto(page.base + "/devices/kiosks")
    page.fill("input[name=name]", "Entrance")
    page.click("form.stack-form button[type=submit]")
    code = page.text_content("[data-code]").replace(" ", "")
    context = browser.new_context(viewport={"width": 1280, "height": 800}, has_touch=True, locale="ru-RU")
    outside = []

    def guard(route):
        if route.request.url.startswith(live.url) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    screen = context.new_page()
    errors = []
    screen.on("pageerror", lambda error: errors.append(str(error)))
    screen.base = live.url
    screen.goto(live.url + "/kiosk/")
    screen.wait_for_url("**/kiosk/pair")
    screen.wait_for_selector("body[data-ready]")
    for digit in code:
        screen.click(f".keypad [data-key='{digit}']")
    screen.click("button.primary")
    screen.wait_for_url("**/kiosk/")
    yield screen
    context.close()
    assert errors == [], f"script errors on the kiosk: {errors}"
    assert outside == [], f"the kiosk asked for something outside the box: {outside}"


@pytest.fixture
def visit_now(small_salon, system):
    """A haircut for Aziza that is on now (started ten minutes ago, or at midnight), booked by the administrator."""
    ctx = SalonContext.load()
    now = utc_now()
    start = max(now - timedelta(minutes=10), day_bounds(to_local(now, ctx.tz).date(), ctx.tz)[0])
    return create_booking(system, {
        "client_id": small_salon["client"].id, "starts_at": start.replace(second=0, microsecond=0),
        "allow_outside_hours": True,
        "items": [{"service_id": small_salon["cut"].id, "master_id": small_salon["masters"][1].id}]})


def _type(screen, digits: str) -> None:
    screen.wait_for_selector("body[data-ready]")  # the page's keys are wired
    for digit in digits:
        screen.tap(f".keypad [data-key='{digit}']")


def test_a_client_checks_in_by_phone_and_the_journal_shows_it(kiosk, page, visit_now):
    page.goto(page.base + "/journal")
    page.wait_for_selector(".ec-event.status-confirmed:has-text('Karimova')")
    kiosk.tap("[data-choice=phone]")
    _type(kiosk, "901234567")
    screenshot(kiosk, "kiosk-phone")
    kiosk.tap("button.primary")
    kiosk.wait_for_selector("text=Aziza")
    assert "Karimova" not in kiosk.content()
    screenshot(kiosk, "kiosk-visits")
    kiosk.tap("form[action*=arrive] button")
    kiosk.wait_for_selector(".done-mark")
    screenshot(kiosk, "kiosk-arrived")
    assert Booking.get_by_id(visit_now.id).status == "arrived"
    # The administrator's journal, left open, picks the check-in up by itself.
    page.wait_for_selector(".ec-event.status-arrived:has-text('Karimova')", timeout=15000)


def test_a_client_checks_in_with_the_booking_code_in_uzbek(kiosk, visit_now):
    kiosk.tap("button[value=uz]")
    kiosk.tap("[data-choice=code]")
    # A QR scanner types the code's text and Enter, like a keyboard.
    kiosk.fill("#code", f"SALON:{visit_now.code}")
    kiosk.press("#code", "Enter")
    kiosk.wait_for_selector("text=Aziza")
    kiosk.tap("form[action*=arrive] button")
    kiosk.wait_for_selector(".done-mark")
    assert "Rahmat" in kiosk.text_content("h1")
    assert Booking.get_by_id(visit_now.id).status == "arrived"


def test_an_unknown_card_is_refused_and_a_masters_card_greets_them(kiosk, small_salon, system, visit_now):
    kiosk.wait_for_selector("[data-choice=phone]")
    time_clock.handle_tap("Reader 1", card_uid_hash(b"\x04\x11\x22\x33", KEY))
    kiosk.wait_for_selector(".notice-refused", timeout=10000)
    screenshot(kiosk, "kiosk-unknown-card")
    assert "Эта карта не зарегистрирована" in kiosk.text_content("h1")
    kiosk.goto(kiosk.base + "/kiosk/reset")
    olga = small_salon["masters"][1]
    uid = card_uid_hash(b"\x04\xaa\xbb\xcc", KEY)
    cards.enrol_card(system, cards.Holder("staff", olga.id), uid)
    kiosk.wait_for_selector("[data-choice=phone]")
    time_clock.handle_tap("Reader 1", uid)
    kiosk.wait_for_selector(".punch-clock_in", timeout=10000)
    assert "Olga" in kiosk.text_content("h1")
    assert kiosk.locator(".day-item", has_text="Haircut").count() == 1
    screenshot(kiosk, "kiosk-master-day")


def test_the_kiosk_goes_back_to_the_start_after_a_while(kiosk):
    kiosk.tap("[data-choice=phone]")
    _type(kiosk, "90")
    kiosk.evaluate("document.body.dataset.idle")  # the page is armed
    kiosk.wait_for_url("**/kiosk/", timeout=60000)
    assert kiosk.locator("[data-choice=phone]").count() == 1


def test_a_walk_in_chooses_a_service_and_sees_todays_times(kiosk):
    kiosk.tap("[data-choice=walk-in]")
    kiosk.wait_for_selector(".tile:has-text('Haircut')")
    assert "150\u00a0000\u00a0UZS" in kiosk.text_content(".tile:has-text('Haircut')")
    screenshot(kiosk, "kiosk-walk-in")
    kiosk.tap(".tile:has-text('Haircut')")
    # Either today's nearest times or the apology, depending on the hour the test runs at.
    kiosk.wait_for_selector(".tiles button.tile, .kiosk-lead")
    assert kiosk.locator("h1").text_content() == "Haircut"


def test_a_client_checks_in_by_showing_the_qr_code_to_the_camera(kiosk, live, fake_camera, visit_now):
    kiosk.context.grant_permissions(["camera"], origin=live.url)
    kiosk.tap("[data-choice=code]")
    kiosk.wait_for_selector("[data-camera]:not([hidden])")
    screenshot(kiosk, "kiosk-code-camera")
    # The visit card's QR code (its text ends in the booking code) held up to the camera.
    write_y4m(fake_camera, f"SALON:{visit_now.code}")
    kiosk.tap("[data-camera-open]")
    kiosk.wait_for_selector("text=Aziza", timeout=15000)
    kiosk.tap("form[action*=arrive] button")
    kiosk.wait_for_selector(".done-mark")
    assert Booking.get_by_id(visit_now.id).status == "arrived"


def test_a_camera_the_kiosk_may_not_use_is_said_next_to_the_code_field(kiosk, fake_camera, visit_now):
    kiosk.tap("[data-choice=code]")
    kiosk.wait_for_selector("[data-camera]:not([hidden])")
    write_y4m(fake_camera, f"SALON:{visit_now.code}")
    kiosk.tap("[data-camera-open]")  # no camera permission in this browser profile
    message = kiosk.wait_for_selector("[data-camera-message]:not([hidden])")
    assert "Камерой нельзя воспользоваться" in message.text_content()
    screenshot(kiosk, "kiosk-code-camera-refused")
    assert kiosk.is_visible("[data-camera-open]") and not kiosk.is_visible("video")
    kiosk.fill("#code", visit_now.code)  # typing still works
    kiosk.press("#code", "Enter")
    kiosk.wait_for_selector("text=Aziza")
    assert Booking.get_by_id(visit_now.id).status == "confirmed"
