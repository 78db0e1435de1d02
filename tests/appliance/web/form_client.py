"""Signing in with the Flask test client and posting forms the way a browser does (CSRF included)."""
import re

from appliance.services.context import Actor
from appliance.services.staff import create_staff

PASSWORD = "Secret-123"


def csrf_of(html: str) -> str:
    """The hidden CSRF token of a rendered form."""
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


class Browser:
    """A signed-in test client that posts forms with the session's CSRF token."""

    def __init__(self, client, csrf):
        self.client, self.csrf = client, csrf

    def get(self, path):
        return self.client.get(path)

    def post(self, path, data):
        return self.client.post(path, data={"csrf_token": self.csrf, **data})

    def hours(self, staff_id, first, last):
        """{date text: [["HH:MM", "HH:MM"], ...]} from the API the journal reads."""
        response = self.client.get(f"/api/v1/working-hours?date_from={first}&date_to={last}&staff_id={staff_id}")
        assert response.status_code == 200, response.get_data(as_text=True)
        return {item["day"]: [[i["starts_at"][11:16], i["ends_at"][11:16]] for i in item["intervals"]]
                for item in response.get_json()["items"]}


def sign_in(app, role: str, locale: str = "en", landing: str = "/journal") -> Browser:
    """A new staff member of ``role``, signed in through the form."""
    username = f"{role}-web"
    create_staff(Actor.system(), {"first_name": role.title(), "role": role, "username": username,
                                  "password": PASSWORD, "locale": locale})
    client = app.test_client()
    token = csrf_of(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"csrf_token": token, "username": username, "password": PASSWORD})
    assert response.status_code == 302
    # Signing in starts a new session with a new token.
    return Browser(client, csrf_of(client.get(landing).get_data(as_text=True)))


def field_block(html: str, name: str) -> str:
    """The markup of the field holding the input named ``name`` (label, input, error)."""
    at = html.index(f'name="{name}"')
    start = max(html.rfind('<label class="field', 0, at), html.rfind('<div class="field', 0, at))
    end = html.index("</label>" if html.startswith("<label", start) else "</div>", at)
    return html[start:end]
