"""The head-office pages in a real browser: headless Debian Chromium (Playwright) against gunicorn and PostgreSQL.

Screenshots go to test-artifacts/screenshots/cloud-*.png (or $SALON_SCREENSHOTS) for a person to check.
"""
import os
import re
from pathlib import Path

import pytest

from cloud.storage.models import EntityRow, Fanout
from tests.cloud.head_office_seed import PASSWORD, add_user
from tests.cloud.web.live_cloud import LiveCloud

SCREENSHOTS = Path(os.environ.get("SALON_SCREENSHOTS", Path(__file__).parents[3] / "test-artifacts" / "screenshots"))


@pytest.fixture
def live(cloud_app, business, pg_dsn, tmp_path):
    """The seeded business served by gunicorn with two workers."""
    add_user("owner", "olga", locale="en")
    server = LiveCloud(pg_dsn, tmp_path)
    yield server
    server.stop()


@pytest.fixture
def page(browser, live):
    """A 1366x768 page; any request to another host than the cloud fails the test."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="ru-RU")
    outside, errors = [], []

    def guard(route):
        if route.request.url.startswith(live.url) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" and "status of 422" not in message.text else None)  # 422: a form with errors
    page.base = live.url
    yield page
    context.close()
    assert outside == [], f"pages pulled from outside the server: {outside}"
    assert errors == [], f"browser errors (a blocked resource shows here too): {errors}"


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"cloud-{name}.png"), full_page=True)


def fits_the_width(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_sign_in_see_the_fleet_edit_a_price_and_switch_to_uzbek(page, business):
    page.goto(page.base + "/fleet")
    page.wait_for_url("**/login?next=/fleet")
    assert page.inner_text("h1") == "Облако салонов"  # the browser asks for Russian before anyone signs in
    screenshot(page, "login-ru")
    page.fill("input[name=username]", "olga")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url("**/fleet")
    assert page.inner_text("h1") == "Fleet of boxes"  # now the user's own language
    box = page.locator(f"#box-{business.box_id}")
    assert "Chilonzor front desk" in box.inner_text() and "online" in box.inner_text()
    fits_the_width(page)
    screenshot(page, "fleet-en")

    box.get_by_role("link", name="Chilonzor").click()
    page.wait_for_url(f"**/salons/{business.salon_id}/services")
    page.click(f"#s-{business.haircut_id} a")
    page.fill("input[name=price]", "12.5")
    page.click("form.edit-form button[type=submit]")
    assert "Prices in UZS are whole numbers." in page.inner_text(".field.has-error")
    screenshot(page, "service-error-en")
    page.fill("input[name=price]", "175 000")
    page.click("form.edit-form button[type=submit]")
    page.wait_for_url(f"**/salons/{business.salon_id}/services#s-{business.haircut_id}")
    saved = page.inner_text(f"#s-{business.haircut_id}")
    assert re.search(r"175,000\sUZS – 250,000\sUZS", saved), saved
    screenshot(page, "services-en")
    assert EntityRow.get_by_id(("service", business.haircut_id)).data["price"] == "175000.00"
    assert Fanout.select().where(Fanout.entity_id == business.haircut_id).count() == 1

    page.click(".langswitch button[value=uz]")
    page.wait_for_selector("html[lang=uz]")
    page.goto(page.base + "/fleet")
    assert page.inner_text("h1") == "Salon serverlari"
    assert page.inner_text(".mainnav a[aria-current=page]") == "Serverlar"
    fits_the_width(page)
    screenshot(page, "fleet-uz")


def test_problems_and_salons_pages_in_russian(page, business):
    page.goto(page.base + "/login")
    page.fill("input[name=username]", "olga")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url("**/fleet")
    page.click(".langswitch button[value=ru]")
    page.wait_for_selector("html[lang=ru]")
    page.goto(page.base + "/problems")
    assert page.inner_text("h1") == "Проблемы синхронизации"
    assert "160000.00" in page.inner_text(f"#conflict-{business.conflict_id}")
    fits_the_width(page)
    screenshot(page, "problems-ru")
    page.click(f"#conflict-{business.conflict_id} button[type=submit]")
    page.wait_for_selector(".flash-success")
    assert "Открытых конфликтов нет." in page.inner_text("#conflicts")
    page.goto(page.base + "/salons")
    assert "Chilonzor front desk" in page.inner_text(f"#salon-{business.salon_id}")
    screenshot(page, "salons-ru")
    page.goto(page.base + f"/salons/{business.salon_id}/staff/{business.admin_id}")
    screenshot(page, "staff-form-ru")
