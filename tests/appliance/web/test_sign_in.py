"""Signing in to the web interface: errors next to fields, idle timeout, CSRF, language per user."""
import re

import pytest

from appliance.storage.models.catalogue import Staff
from tests.appliance.web.conftest import ADMIN_PASSWORD


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def sign_in(client, password=ADMIN_PASSWORD):
    token = csrf_of(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"username": "svetlana", "password": password, "csrf_token": token})


@pytest.fixture
def client(app, admin):
    return app.test_client()


def test_wrong_password_is_shown_next_to_the_field_and_the_name_is_kept(client):
    response = sign_in(client, password="wrong-one-1")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="svetlana"' in html
    assert re.search(r'has-error.*?Password.*?class="error"', html, re.S)


def test_pages_need_a_session_and_return_to_where_they_were(client):
    response = client.get("/clients?q=anna")
    assert response.status_code == 302 and "/login?next=/clients?q%3Danna" in response.location
    assert sign_in(client).status_code == 302
    assert client.get("/journal").status_code == 200


def test_session_ends_after_the_idle_time(client, app):
    sign_in(client)
    with client.session_transaction() as session:
        session["seen"] -= app.config["SESSION_IDLE_MINUTES"] * 60 + 1
    response = client.get("/journal")
    assert response.status_code == 302 and "/login" in response.location
    assert "inactivity" in client.get("/login").get_data(as_text=True)
    assert client.get("/api/v1/bookings?starts_from=2026-01-01T00:00&starts_before=2026-01-02T00:00").status_code == 401


def test_posts_without_the_csrf_token_are_refused(client):
    sign_in(client)
    assert client.post("/language", data={"locale": "uz"}).status_code == 400
    assert client.post("/api/v1/clients", json={"first_name": "X"}).status_code == 403


def test_language_choice_is_remembered_on_the_user(client):
    sign_in(client)
    token = csrf_of(client.get("/journal").get_data(as_text=True))
    client.post("/language", data={"locale": "uz", "next": "/journal", "csrf_token": token})
    assert Staff.get(Staff.username == "svetlana").locale == "uz"
    token = csrf_of(client.get("/journal").get_data(as_text=True))
    client.post("/logout", data={"csrf_token": token})
    other = client.application.test_client()
    sign_in(other)
    assert '<html lang="uz">' in other.get("/journal").get_data(as_text=True)
