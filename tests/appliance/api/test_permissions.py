"""Every endpoint needs a staff user or device token, and checks the caller's role (PL1)."""
import re
from datetime import date, datetime, timedelta

import pytest

from appliance.domain.permissions import allowed

PREFIX = "/api/v1"
# What any signed-in caller, a kiosk included, may call.
SIGNED_IN = {"GET /api/v1/ping", "GET /api/v1/auth/me", "POST /api/v1/auth/logout"}


def _tomorrow_at(hour: int) -> str:
    day = date.today() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour).isoformat()


def _operations(app):
    """(label, method, concrete path, operation) for each operation of the served document."""
    doc = app.test_client().get(f"{PREFIX}/openapi.json").json
    for path, methods in doc["paths"].items():
        concrete = re.sub(r"\{[a-z_]+\}", "no-such-id", path.replace("{day}", "2026-03-08"))
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", method.upper(), concrete, operation


def _call(client, method, path, token=None, operation=None):
    """Call with a bearer ``token`` and, where the operation takes one, an empty JSON body."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = {} if operation and "requestBody" in operation else None
    return client.open(path, method=method, headers=headers, json=body)


def _forbidden(response):
    assert response.status_code == 403, response.get_data(as_text=True)
    assert response.json["error"]["code"] == "forbidden"


@pytest.fixture
def kiosk(api, small_salon):
    """An enrolled kiosk: its device id and bearer token."""
    response = api.post("/devices", json={"name": "Reception kiosk"})
    assert response.status_code == 201, response.json
    return response.json["device"]["id"], response.json["token"]


def test_without_a_valid_token_every_protected_operation_is_401(app, salon):
    client = app.test_client()
    protected = [(label, method, path, op) for label, method, path, op in _operations(app) if op["security"]]
    assert len(protected) > 40
    for label, method, path, operation in protected:
        for header in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic b3duZXI6cHc="}):
            response = client.open(path, method=method, headers=header)
            assert response.status_code == 401, (label, header, response.json)
            assert response.json["error"]["code"] == "unauthorized"


def test_public_operations_are_the_documented_few(app, salon):
    public = {label for label, _, _, op in _operations(app) if not op["security"]}
    assert public == {"GET /api/v1/health", "POST /api/v1/auth/login"}
    assert app.test_client().get(f"{PREFIX}/openapi.json").status_code == 200


def test_every_operation_checks_the_callers_role(app, tokens, small_salon):
    """Each staff role is refused exactly the operations whose permission it lacks."""
    client = app.test_client()
    for label, method, path, operation in _operations(app):
        view = app.view_functions[app.url_map.bind("").match(path, method=method)[0]]
        permission = view.operation.permission
        if permission in (None, "signed_in"):
            continue
        for role, token in tokens.items():
            response = _call(client, method, path, token, operation)
            assert response.status_code < 500, (label, role, response.json)
            if allowed(role, permission):
                assert response.status_code != 403, (label, role, response.json)
            else:
                assert response.status_code == 403, (label, role, response.json)


def test_a_master_cannot_edit_anything_shared(app, tokens, small_salon):
    client = app.test_client()
    writes = [(label, method, path, op) for label, method, path, op in _operations(app)
              if method != "GET" and op["security"] and label not in SIGNED_IN]
    assert len(writes) > 25
    for label, method, path, operation in writes:
        response = _call(client, method, path, tokens["master"], operation)
        assert response.status_code == 403, (label, response.json)


def test_a_master_cannot_add_a_service_or_change_the_salon(api, tokens, small_salon):
    master = api.as_(tokens["master"])
    service = {"category_id": small_salon["cut"].category_id, "name": "Colour", "duration_min": 90,
               "price": "200000"}
    _forbidden(master.post("/services", json=service))
    _forbidden(master.patch("/salon", json={"name": "Mine now"}))
    _forbidden(master.patch(f"/services/{small_salon['cut'].id}", json={"price": "1"}))
    assert api.get("/salon").json["name"] == "Demo"
    assert [s["name"] for s in api.get("/services").json["items"]] == ["Haircut", "Laser"]
    assert api.post("/services", json=service).status_code == 201


def test_a_master_sees_client_phones_masked(api, tokens, small_salon):
    client = small_salon["client"]
    api.patch(f"/clients/{client.id}", json={"email": "aziza@example.com", "extra_phones": ["+998907654321"]})
    master = api.as_(tokens["master"])
    card = master.get(f"/clients/{client.id}").json
    assert card["phone"] == "+998*****4567" and "901234" not in card["phone"]
    assert card["extra_phones"] == ["+998*****4321"] and card["email"] is None
    listed = master.get("/clients").json["items"][0]
    assert listed["phone"] == "+998*****4567" and listed["email"] is None
    full = api.as_(tokens["administrator"]).get(f"/clients/{client.id}").json
    assert full["phone"] == "+998901234567" and full["email"] == "aziza@example.com"


def test_an_administrator_books_but_does_not_edit_the_catalogue(api, tokens, small_salon):
    s = small_salon
    admin = api.as_(tokens["administrator"])
    booking = admin.post("/bookings", json={"client_id": s["client"].id, "starts_at": _tomorrow_at(10),
                                            "items": [{"service_id": s["cut"].id, "master_id": s["masters"][0].id}]})
    assert booking.status_code == 201, booking.json
    assert admin.post("/clients", json={"first_name": "Nodira", "phone": "+998935550011"}).status_code == 201
    _forbidden(admin.post("/services", json={"category_id": s["cut"].category_id, "name": "Colour",
                                             "duration_min": 90, "price": "200000"}))
    _forbidden(admin.patch(f"/rooms/{s['room'].id}", json={"capacity": 3}))
    _forbidden(admin.patch("/salon", json={"currency": "USD"}))
    _forbidden(admin.post("/staff", json={"first_name": "Eve", "role": "owner"}))
    _forbidden(admin.post("/devices", json={"name": "Tablet"}))


def test_a_kiosk_token_only_does_kiosk_things(app, kiosk):
    _, token = kiosk
    client = app.test_client()
    operations = list(_operations(app))
    for label, method, path, operation in operations:
        if not operation["security"] or label == "POST /api/v1/auth/logout":
            continue
        response = _call(client, method, path, token, operation)
        if label in SIGNED_IN:
            assert response.status_code == 200, (label, response.json)
        else:
            assert response.status_code == 403, (label, response.json)
            assert response.json["error"]["code"] == "forbidden"
    me = _call(client, "GET", f"{PREFIX}/auth/me", token).json
    assert (me["kind"], me["role"], me["permissions"], me["staff"]) == ("device", "kiosk", ["kiosk.use"], None)
    assert _call(client, "POST", f"{PREFIX}/auth/logout", token).status_code == 204
    assert _call(client, "GET", f"{PREFIX}/ping", token).status_code == 401


def test_a_revoked_device_is_cut_off_at_once(api, kiosk):
    device_id, token = kiosk
    as_kiosk = api.as_(token)
    assert as_kiosk.get("/ping").json == {"ok": True, "role": "kiosk"}
    revoked = api.post(f"/devices/{device_id}/revoke")
    assert revoked.status_code == 200 and revoked.json["active"] is False
    for response in (as_kiosk.get("/ping"), as_kiosk.get("/auth/me"), as_kiosk.get("/bookings/x")):
        assert response.status_code == 401
        assert response.json["error"]["code"] == "unauthorized"


def test_an_inactive_staff_member_is_signed_out(api, tokens, small_salon):
    manager = api.as_(tokens["manager"])
    staff_id = manager.get("/auth/me").json["id"]
    assert api.patch(f"/staff/{staff_id}", json={"active": False}).status_code == 200
    assert manager.get("/ping").status_code == 401


def test_an_expired_token_is_refused_and_a_live_one_of_the_same_member_is_not(api, tokens, small_salon):
    from appliance.services.auth import issue_token
    from appliance.storage.models.catalogue import Staff

    manager = Staff.get_by_id(api.as_(tokens["manager"]).get("/auth/me").json["id"])
    expired = issue_token(manager, timedelta(seconds=-1)).token
    live = issue_token(manager, timedelta(minutes=5)).token
    response = api.as_(expired).get("/ping")
    assert response.status_code == 401 and "expired" in response.json["error"]["message"]
    assert api.as_(live).get("/ping").json["role"] == "manager"
