"""The cloud's head-office app on a fresh, migrated PostgreSQL database per test, and signed-in test clients."""
import re

import pytest
from flask.testing import FlaskClient

from cloud.app import create_app
from cloud.storage.database import database
from cloud.storage.migrate import upgrade
from tests.cloud.head_office_seed import PASSWORD, add_user, seed_business


class EnglishClient(FlaskClient):
    """A test client whose browser asks for English (the pages' default is Russian)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.environ_base.setdefault("HTTP_ACCEPT_LANGUAGE", "en")


@pytest.fixture
def cloud_app(pg_dsn):
    """The app against the private PostgreSQL server, schema at head."""
    app = create_app({"DATABASE_URL": pg_dsn, "TESTING": True, "SECRET_KEY": "only-for-tests",
                      "COOKIE_SECURE": "0"})
    app.test_client_class = EnglishClient
    database.connect(reuse_if_open=True)
    upgrade(database.obj)
    yield app
    if not database.is_closed():
        database.close()


@pytest.fixture
def business(cloud_app):
    """The seeded salon with its boxes, rows and sync problems."""
    return seed_business()


def csrf_of(html: str) -> str:
    """The hidden CSRF token of a rendered page."""
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


class Browser:
    """A test client signed in through the form; ``post`` sends the session's CSRF token like a page would."""

    def __init__(self, client, csrf: str, user):
        self.client, self.csrf, self.user = client, csrf, user

    def get(self, path, **kwargs):
        return self.client.get(path, **kwargs)

    def post(self, path, data=None, csrf=True):
        return self.client.post(path, data={**({"csrf_token": self.csrf} if csrf else {}), **(data or {})})


def sign_in(app, role: str, username: str | None = None, locale: str = "en") -> Browser:
    """A new user of ``role``, signed in with the sign-in form."""
    user = add_user(role, username, locale)
    client = app.test_client()
    token = csrf_of(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"csrf_token": token, "username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return Browser(client, csrf_of(client.get("/account").get_data(as_text=True)), user)


@pytest.fixture
def owner(cloud_app, business):
    """The business's owner, signed in."""
    return sign_in(cloud_app, "owner")


@pytest.fixture
def head_office(cloud_app, business):
    """A head-office user, signed in."""
    return sign_in(cloud_app, "head_office")


@pytest.fixture
def accountant(cloud_app, business):
    """An accountant, signed in."""
    return sign_in(cloud_app, "accountant")
