"""Browser fixtures: Debian's Chromium driven by Playwright against the box served by gunicorn."""
import os
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from appliance.services.context import Actor
from appliance.services.staff import create_staff
from tests.live_server import LiveBox

SCREENSHOTS = Path(os.environ.get("SALON_SCREENSHOTS", Path(__file__).parents[3] / "test-artifacts" / "screenshots"))
ADMIN_PASSWORD = "Admin-pass-1"


@pytest.fixture
def admin(small_salon):
    """An administrator who signs in with a password."""
    return create_staff(Actor.system(), {"first_name": "Svetlana", "role": "administrator",
                                         "username": "svetlana", "password": ADMIN_PASSWORD})


@pytest.fixture
def live(app, small_salon, admin):
    """The box with the small salon, served by gunicorn."""
    box = LiveBox(Path(app.config["DATA_DIR"]), workers=2)
    yield box
    box.stop()


@pytest.fixture
def page(browser, live):
    """A 1366x768 page; any request to a host other than the box fails the test."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="ru-RU")
    outside = []

    def guard(route):
        url = route.request.url
        if url.startswith(live.url) or url.startswith("data:"):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.base = live.url
    yield page
    context.close()
    assert outside == [], f"pages pulled from outside the box: {outside}"
    assert errors == [], f"script errors: {errors}"


def sign_in(page, username="svetlana", password=ADMIN_PASSWORD):
    """Sign in through the form and land on the journal."""
    page.goto(page.base + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_url("**/journal**")


def screenshot(page, name: str) -> None:
    """Save a picture of the page for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


@pytest.fixture(autouse=True)
def english_test_client(request):
    """Flask test clients ask for English (the box's default is Russian); browser tests set their own locale."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    base = app.test_client_class or FlaskClient

    class EnglishClient(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.environ_base.setdefault("HTTP_ACCEPT_LANGUAGE", "en")

    app.test_client_class = EnglishClient
    yield
    app.test_client_class = base
