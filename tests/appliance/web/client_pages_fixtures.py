"""Signed-in test clients, the small salon's client, and the client form as a browser posts it."""
import pytest

from appliance.services.context import Actor
from appliance.services.staff import create_staff
from tests.appliance.web.html_tree import csrf_of, html

PASSWORD = "Secret-123"
KARIMOVA_PHONE = "+998 90 123 45 67"  # small_salon's client, as the pages print it


def sign_in(app, username: str):
    client = app.test_client()
    token = csrf_of(html(client.get("/login")))
    response = client.post("/login", data={"csrf_token": token, "username": username, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def as_admin(app, small_salon):
    """The test client of a signed-in administrator."""
    create_staff(Actor.system(), {"first_name": "Svetlana", "role": "administrator", "username": "svetlana", "locale": "en",
                                  "password": PASSWORD})
    return sign_in(app, "svetlana")


@pytest.fixture
def as_master(app, small_salon):
    """The test client of a signed-in as_master (no access to contacts, no writes)."""
    create_staff(Actor.system(), {"first_name": "Nodira", "role": "master", "username": "nodira", "locale": "en",
                                  "password": PASSWORD})
    return sign_in(app, "nodira")


@pytest.fixture
def karimova(small_salon):
    return small_salon["client"]


def form(**changes) -> dict:
    """A new-client form as a browser sends it (empty fields included)."""
    data = {name: "" for name in ("first_name", "last_name", "middle_name", "phone", "extra_phones", "email",
                                  "birthday", "gender", "source", "card_number", "tags", "notes", "allergies")}
    data.update(changes)
    return data


def post_form(client, path: str, data: dict):
    token = csrf_of(html(client.get(path)))
    return client.post(path, data={**data, "csrf_token": token})
