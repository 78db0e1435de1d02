"""A paired kiosk for page tests: the app's test client holding the kiosk's cookie."""
import re

import pytest

from appliance.services import auth, kiosk_pairing


def csrf_of(html: str) -> str:
    """The anti-forgery token a kiosk page carries in its forms."""
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


@pytest.fixture
def kiosk_client(app, small_salon, system):
    """A test client that paired itself through the kiosk's own pairing form."""
    device, _ = auth.enrol_device(system, "Entrance")
    code = kiosk_pairing.start_pairing(system, device.id)
    client = app.test_client()
    page = client.get("/kiosk/pair").get_data(as_text=True)
    response = client.post("/kiosk/pair", data={"code": code, "csrf_token": csrf_of(page)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/kiosk/")
    client.device = device
    client.csrf = csrf_of(client.get("/kiosk/").get_data(as_text=True))
    return client


# The administrator's browser fixtures serve the kiosk too: one gunicorn box, one Chromium.
from tests.appliance.web.conftest import admin, english_test_client, live, page, screenshot, sign_in  # noqa: E402,F401
