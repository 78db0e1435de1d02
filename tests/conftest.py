"""Fixtures shared by the whole suite: a real SQLite file per test, a salon, signed-in callers."""
from datetime import timedelta

import pytest

from appliance.app import create_app
from appliance.services import salon as salon_service
from appliance.services.auth import issue_token
from appliance.services.context import Actor
from appliance.services.staff import create_staff
from appliance.storage.migrate import upgrade

pytest_plugins = ["tests.infra.fixtures", "tests.infra.browser", "tests.infra.pcsc_fixtures"]

PASSWORD = "s3cret-pass"
WEEK_9_TO_21 = [[["09:00", "21:00"]]] * 7


@pytest.fixture
def app(tmp_path):
    """The box app on a fresh, fully migrated SQLite file."""
    application = create_app({"DATA_DIR": str(tmp_path / "data"), "TESTING": True})
    from appliance.storage.database import database

    database.connect(reuse_if_open=True)
    upgrade(database.obj)
    yield application
    if not database.is_closed():
        database.close()


@pytest.fixture
def salon(app):
    """A salon in Tashkent, prices in UZS."""
    return salon_service.set_up(Actor.system(), {
        "name": "Demo", "timezone": "Asia/Tashkent", "currency": "UZS", "country": "UZ",
        "opening_hours": WEEK_9_TO_21})


@pytest.fixture
def system():
    """The box itself as the actor."""
    return Actor.system()


def _staff_token(role: str, username: str) -> str:
    # Tokens are issued directly: argon2 is deliberately slow, and sign-in
    # itself has its own tests.
    staff = create_staff(Actor.system(), {"first_name": username.title(), "role": role, "username": username,
                                          "bookable": role == "master"})
    return issue_token(staff, timedelta(hours=1)).token


@pytest.fixture
def tokens(salon):
    """A bearer token for each staff role."""
    return {role: _staff_token(role, role) for role in ("owner", "manager", "administrator", "master")}


class Api:
    """The app's test client with JSON helpers and a chosen caller."""

    def __init__(self, client, token=None):
        self.client = client
        self.token = token

    def as_(self, token):
        """The same client acting with another token."""
        return Api(self.client, token)

    def _headers(self):
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def call(self, method, path, json=None, **kwargs):
        """Send a request to /api/v1``path``; returns the Werkzeug response."""
        return self.client.open("/api/v1" + path, method=method, json=json, headers=self._headers(), **kwargs)

    def get(self, path, **kw):
        return self.call("GET", path, **kw)

    def post(self, path, json=None, **kw):
        return self.call("POST", path, json=json, **kw)

    def patch(self, path, json=None, **kw):
        return self.call("PATCH", path, json=json, **kw)

    def put(self, path, json=None, **kw):
        return self.call("PUT", path, json=json, **kw)


@pytest.fixture
def api(app, tokens):
    """The API as the salon's owner."""
    return Api(app.test_client(), tokens["owner"])


@pytest.fixture
def small_salon(salon, system):
    """Two masters (Mon-Sun 09-18), a hair service, a laser service needing a room and the laser."""
    from datetime import date
    from decimal import Decimal

    from appliance.services import catalogue, schedules
    from appliance.services.clients import create_client
    from appliance.services.staff import set_skills

    hair = catalogue.create_category(system, {"name": "Hair"})
    cut = catalogue.create_service(system, {"category_id": hair.id, "name": "Haircut", "duration_min": 60,
                                            "buffer_min": 15, "price": Decimal("150000"),
                                            "price_max": Decimal("250000")})
    laser = catalogue.create_service(system, {"category_id": hair.id, "name": "Laser", "duration_min": 30,
                                              "price": Decimal("300000"), "room_type": "cabinet",
                                              "equipment_type": "laser"})
    room = catalogue.create_room(system, {"name": "Cabinet 1", "room_type": "cabinet", "capacity": 1})
    laser_unit = catalogue.create_equipment(system, {"name": "Laser A", "equipment_type": "laser"})
    masters = []
    for name in ("Dilnoza", "Olga"):
        master = create_staff(system, {"first_name": name, "role": "master", "bookable": True})
        set_skills(system, master.id, [{"service_id": cut.id}, {"service_id": laser.id}])
        schedules.create_pattern(system, master.id, {"kind": "weekly", "days": [[["09:00", "18:00"]]] * 7,
                                                     "valid_from": date(2020, 1, 1)})
        masters.append(master)
    client = create_client(system, {"first_name": "Aziza", "last_name": "Karimova", "phone": "+998901234567"})
    return {"cut": cut, "laser": laser, "room": room, "laser_unit": laser_unit, "masters": masters,
            "client": client}
