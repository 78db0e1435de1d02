"""Pictures of the journal, the booking dialog and the client card in each language, for a person to check.

They are written to test-artifacts/screenshots/ (or $SALON_SCREENSHOTS).
"""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from appliance.domain.wallclock import local_to_utc
from appliance.services.bookings import create_booking
from tests.appliance.web.conftest import SCREENSHOTS, screenshot, sign_in
from tests.appliance.web.test_journal_day import open_day

TOMORROW = date.today() + timedelta(days=1)
EXPECTED = {"ru": "Журнал", "uz": "Jurnal", "en": "Journal"}


@pytest.fixture
def booked_day(small_salon, system):
    tz = ZoneInfo("Asia/Tashkent")
    for hour, master in ((10, 0), (11, 1), (13, 0)):
        create_booking(system, {"client_id": small_salon["client"].id,
                                "starts_at": local_to_utc(datetime.combine(TOMORROW, time(hour)), tz),
                                "items": [{"service_id": small_salon["cut"].id,
                                           "master_id": small_salon["masters"][master].id}]})
    return small_salon


@pytest.mark.parametrize("language", ["ru", "uz", "en"])
def test_screens_in_each_language(page, booked_day, language):
    sign_in(page)
    page.click(f".langswitch button[value={language}]")
    page.wait_for_selector(f"html[lang={language}]")
    open_day(page, TOMORROW)
    assert page.inner_text(".mainnav a[aria-current=page]") == EXPECTED[language]
    screenshot(page, f"journal-{language}")
    page.click("#new-booking")
    page.fill("#client-search", "Karimova")
    page.wait_for_selector("#client-results li")
    screenshot(page, f"booking-dialog-{language}")
    page.goto(f"{page.base}/clients/{booked_day['client'].id}")
    screenshot(page, f"client-card-{language}")
    for name in ("journal", "booking-dialog", "client-card"):
        assert (SCREENSHOTS / f"{name}-{language}.png").stat().st_size > 10_000


@pytest.mark.parametrize("width,height", [(1366, 768), (1280, 800), (800, 1280)])
def test_pages_fit_reception_screens_and_tablets(page, booked_day, width, height):
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page)
    for path in ("/journal", "/clients", f"/clients/{booked_day['client'].id}", "/schedules"):
        page.goto(page.base + path)
        page.wait_for_load_state("networkidle")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}x{height}"
    open_day(page, TOMORROW)
    screenshot(page, f"journal-tablet-{width}x{height}")


def test_head_office_page_with_a_request_to_settle(page, booked_day):
    from appliance.services import sync_outbox
    from appliance.services.online_requests import decide_tentative
    from appliance.storage.models.bookings import OnlineRequest

    taken = local_to_utc(datetime.combine(TOMORROW, time(10)), ZoneInfo("Asia/Tashkent"))
    OnlineRequest(client_name="Dilshod Karimov", client_phone="+998907770033", starts_at=taken, items=[
        {"service_id": booked_day["cut"].id, "master_id": booked_day["masters"][0].id}]).save(force_insert=True)
    decide_tentative()
    sync_outbox.record_link(False, "no connection to the broker")
    sign_in(page)
    page.click(".langswitch button[value=uz]")
    page.wait_for_selector("html[lang=uz]")
    page.goto(page.base + "/sync")
    assert "Bosh ofis" in page.inner_text("h1")
    assert page.inner_text(".mainnav .menu-badge") == "1"
    screenshot(page, "head-office-uz")
    for width in (1366, 800):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
