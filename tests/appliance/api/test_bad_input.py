"""Bad input of any kind gets a 4xx naming the field and the reason, never a 5xx, and writes nothing."""
import json
from contextlib import contextmanager
from datetime import date, datetime, timedelta

import pytest

from appliance.app import create_app
from appliance.config import DEFAULTS
from appliance.storage.database import database
from appliance.storage.migrate import upgrade
from appliance.storage.models.bookings import Booking
from appliance.storage.models.registry import ALL_MODELS


def _tomorrow_at(hour: int, minute: int = 0) -> str:
    day = date.today() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, minute).isoformat()


def _database():
    """Every row of every table, so that any write at all shows up as a difference."""
    return {model.__name__: sorted(model.select().tuples(), key=repr) for model in ALL_MODELS}


@contextmanager
def nothing_written():
    """Fail if the block changes, adds or removes any row (the change log included)."""
    before = _database()
    yield
    after = _database()
    changed = [name for name in before if before[name] != after[name]]
    assert not changed, f"refused request still wrote to {changed}"


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    error = response.json["error"]
    assert error["code"] and error["message"]
    return error


def _fields(error) -> dict:
    return {f["field"]: f["reason"] for f in error.get("fields", [])}


def _booking(s, start, master=0, **extra) -> dict:
    return {"client_id": s["client"].id, "starts_at": start,
            "items": [{"service_id": s["cut"].id, "master_id": s["masters"][master].id}], **extra}


# Wrong JSON types, and strings that are not what the document says they are.
WRONG_TYPES = [
    ("/services", {"name": "Colour", "duration_min": "60", "price": "100"}, "duration_min"),
    ("/services", {"name": "Colour", "duration_min": 60, "price": 99.5}, "price"),
    ("/services", {"name": "Colour", "duration_min": 60, "price": "1e5"}, "price"),
    ("/services", {"name": "Colour", "duration_min": 60, "price": "100", "bookable_online": "yes"},
     "bookable_online"),
    ("/rooms", {"name": "Cabinet 2", "room_type": "cabinet", "capacity": True}, "capacity"),
    ("/rooms", {"name": "Cabinet 2", "room_type": "cabinet", "colour": "red"}, "colour"),
    ("/clients", {"first_name": 5}, "first_name"),
    ("/clients", {"first_name": "Ann", "birthday": "1990-02-30"}, "birthday"),
    ("/clients", {"first_name": "Ann", "birthday": 0}, "birthday"),
    ("/clients", {"first_name": "Ann", "tags": "vip"}, "tags"),
    ("/bookings", {"starts_at": 1767225600, "items": []}, "starts_at"),
    ("/bookings", {"starts_at": "tomorrow at ten", "items": []}, "starts_at"),
    ("/bookings", {"starts_at": "9999-01-01T10:00:00", "items": []}, "starts_at"),
    ("/bookings", {"starts_at": "2026-03-08T10:00:00", "items": {"service_id": "x"}}, "items"),
]


@pytest.mark.parametrize("path,body,field", WRONG_TYPES, ids=[f"{p} {f}" for p, _, f in WRONG_TYPES])
def test_wrong_types_and_impossible_values_are_refused_naming_the_field(api, small_salon, path, body, field):
    if path == "/services":
        body = {"category_id": small_salon["cut"].category_id, **body}
    if path == "/bookings":
        body = {"client_id": small_salon["client"].id, **body}
    with nothing_written():
        error = _error(api.post(path, json=body), 422)
    assert error["code"] == "invalid"
    assert field in _fields(error), error


@pytest.mark.parametrize("path,body,field", [
    ("/rooms", {"name": "Cabinet 2", "room_type": "c" * 65}, "room_type"),
    ("/devices", {"name": "k" * 101}, "name"),
    ("/clients", {"first_name": "Ann", "email": f"{'a' * 60}@{'b' * 60}.{'c' * 60}.{'d' * 30}.example"}, "email"),
])
def test_text_longer_than_its_column_is_refused(api, small_salon, path, body, field):
    with nothing_written():
        error = _error(api.post(path, json=body), 422)
    assert field in _fields(error), error


@pytest.mark.parametrize("query,field", [
    ({"starts_from": "yesterday", "starts_before": "2026-03-09T00:00"}, "starts_from"),
    ({"starts_from": "2026-03-09T00:00", "starts_before": "2026-03-08T00:00"}, "starts_before"),
    ({"starts_from": "2026-03-08T00:00", "starts_before": "2026-03-09T00:00", "status": "lost"}, "status.0"),
    ({"starts_from": "2026-03-08T00:00", "starts_before": "2026-03-09T00:00", "stauts": "confirmed"}, "stauts"),
])
def test_bad_query_parameters_are_refused_naming_them(api, small_salon, query, field):
    error = _error(api.get("/bookings", query_string=query), 422)
    assert field in _fields(error), error


def test_a_typo_in_a_query_parameter_is_not_silently_ignored(api, small_salon):
    error = _error(api.get("/clients", query_string={"limti": "5"}), 422)
    assert _fields(error) == {"limti": "unknown query parameter"}


def test_null_is_refused_where_the_document_does_not_allow_it(api, small_salon):
    service = small_salon["cut"]
    with nothing_written():
        error = _error(api.patch(f"/services/{service.id}", json={"name": None}), 422)
    assert _fields(error) == {"name": "cannot be null"}
    spec = api.get("/openapi.json").json["components"]["schemas"]["ServicePatch"]["properties"]
    assert "null" not in json.dumps(spec["name"]) and "null" in json.dumps(spec["price_max"])


@pytest.mark.parametrize("make_body,field", [
    (lambda s: _booking(s, _tomorrow_at(10)) | {"client_id": "no-such-client"}, "client_id"),
    (lambda s: _booking(s, _tomorrow_at(10)) | {"items": [
        {"service_id": s["cut"].id, "master_id": s["masters"][0].id},
        {"service_id": s["cut"].id, "master_id": "no-such-master"}]}, "items.1.master_id"),
    (lambda s: _booking(s, _tomorrow_at(10)) | {"items": [
        {"service_id": "no-such-service", "master_id": s["masters"][0].id}]}, "items.0.service_id"),
])
def test_unknown_ids_in_a_booking_body_are_422_naming_the_field(api, small_salon, make_body, field):
    with nothing_written():
        error = _error(api.post("/bookings", json=make_body(small_salon)), 422)
    assert field in _fields(error), error


def test_unknown_ids_are_named_as_the_request_names_them(api, small_salon):
    s = small_salon
    event = api.post("/group-events", json={"service_id": "no-such-service", "master_id": s["masters"][0].id,
                                            "starts_at": _tomorrow_at(12), "capacity": 4})
    assert "service_id" in _fields(_error(event, 422))
    slots = api.get("/slots", query_string={"service_id": [s["cut"].id, "no-such-service"]})
    assert "service_id.1" in _fields(_error(slots, 422))
    merge = api.post(f"/clients/{s['client'].id}/merge", json={"source_id": "no-such-client"})
    assert "source_id" in _fields(_error(merge, 422))
    skills = api.put(f"/staff/{s['masters'][0].id}/skills", json={"skills": [{"service_id": "nope"}]})
    assert "skills.0.service_id" in _fields(_error(skills, 422))


@pytest.mark.parametrize("method,path,body", [
    ("GET", "/bookings/no-such-booking", None),
    ("POST", "/bookings/no-such-booking/status", {"status": "arrived"}),
    ("PATCH", "/services/no-such-service", {"name": "Cut"}),
    ("GET", "/clients/no-such-client", None),
    ("GET", "/staff/no-such-staff/skills", None),
    ("PUT", "/staff/no-such-staff/days/2026-03-08", {"intervals": []}),
    ("POST", "/devices/no-such-device/revoke", None),
])
def test_unknown_ids_in_the_path_are_404(api, small_salon, method, path, body):
    with nothing_written():
        error = _error(api.call(method, path, json=body), 404)
    assert error["code"] == "not_found"


def test_a_day_in_the_path_that_is_not_a_date_is_422(api, small_salon):
    master = small_salon["masters"][0].id
    for day in ("2026-02-30", "20260308", "tomorrow"):
        with nothing_written():
            error = _error(api.put(f"/staff/{master}/days/{day}", json={"intervals": []}), 422)
        assert "day" in _fields(error)


@pytest.mark.parametrize("raw", [b'{"first_name": "Ann"', b"", b"{'first_name': 'Ann'}", b'{"first_name": "\xff"}',
                                 b"NaN"])
def test_malformed_json_is_400(api, small_salon, raw):
    with nothing_written():
        error = _error(api.post("/clients", data=raw, content_type="application/json"), 400)
    assert error["code"] == "malformed"


def test_json_that_is_not_an_object_is_422(api, small_salon):
    error = _error(api.post("/clients", json=[{"first_name": "Ann"}]), 422)
    assert "body" in _fields(error)


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_a_body_that_is_not_json_is_415(api, small_salon, content_type):
    headers = {} if content_type is None else {"Content-Type": content_type}
    with nothing_written():
        response = api.client.post("/api/v1/clients", data='{"first_name": "Ann"}',
                                   headers={**headers, "Authorization": f"Bearer {api.token}"})
        error = _error(response, 415)
    assert error["code"] == "unsupported_media_type"


def test_a_body_over_the_size_limit_is_413(app, api, small_salon):
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert limit == DEFAULTS["MAX_CONTENT_LENGTH"]
    body = json.dumps({"first_name": "Ann", "notes": "x" * limit}).encode()
    with nothing_written():
        error = _error(api.post("/clients", data=body, content_type="application/json"), 413)
    assert error["code"] == "request_entity_too_large"
    assert api.post("/clients", json={"first_name": "Ann", "notes": "x" * 4000}).status_code == 201


class TestAConfiguredBodyLimit:
    """MAX_CONTENT_LENGTH given to create_app is the limit the API enforces."""

    @pytest.fixture
    def app(self, tmp_path):
        application = create_app({"DATA_DIR": str(tmp_path / "data"), "TESTING": True, "MAX_CONTENT_LENGTH": 2048})
        database.connect(reuse_if_open=True)
        upgrade(database.obj)
        yield application
        if not database.is_closed():
            database.close()

    def test_a_body_just_over_it_is_413(self, api, salon):
        note = {"first_name": "Ann", "notes": "x" * 1900}
        assert api.post("/clients", json=note).status_code == 201
        with nothing_written():
            error = _error(api.post("/clients", json=note | {"notes": "x" * 2048}), 413)
        assert error["code"] == "request_entity_too_large"


@pytest.mark.parametrize("body,field", [
    ({"first_name": "Ann", "phone": "12345"}, "phone"),
    ({"first_name": "Ann", "phone": "call me maybe"}, "phone"),
    ({"first_name": "Ann", "phone": "+998 90 123 45 67", "extra_phones": ["+998901112233", "0000"]},
     "extra_phones.1"),
])
def test_invalid_phone_numbers_are_refused(api, small_salon, body, field):
    with nothing_written():
        error = _error(api.post("/clients", json=body), 422)
    assert field in _fields(error), error


def test_invalid_phone_on_an_existing_client_leaves_it_unchanged(api, small_salon):
    client = small_salon["client"]
    with nothing_written():
        error = _error(api.patch(f"/clients/{client.id}", json={"phone": "+99890", "notes": "new"}), 422)
    assert "phone" in _fields(error)
    assert api.get(f"/clients/{client.id}").json["phone"] == "+998901234567"


def test_an_overlapping_booking_is_409_naming_the_clash(api, small_salon):
    first = api.post("/bookings", json=_booking(small_salon, _tomorrow_at(10)))
    assert first.status_code == 201, first.json
    with nothing_written():
        error = _error(api.post("/bookings", json=_booking(small_salon, _tomorrow_at(10, 30))), 409)
    assert error["code"] == "booking_conflict"
    clash = error["conflicts"][0]
    assert clash["resource"] == "master" and clash["id"] == first.json["id"]
    assert clash["resource_id"] == small_salon["masters"][0].id


def test_a_refused_move_leaves_the_booking_as_it_was(api, small_salon):
    s = small_salon
    mine = api.post("/bookings", json=_booking(s, _tomorrow_at(10))).json
    api.post("/bookings", json=_booking(s, _tomorrow_at(14), master=1))
    move = {"starts_at": _tomorrow_at(14), "items": [
        {"id": mine["items"][0]["id"], "service_id": s["cut"].id, "master_id": s["masters"][1].id}]}
    with nothing_written():
        _error(api.patch(f"/bookings/{mine['id']}", json=move), 409)
    assert api.get(f"/bookings/{mine['id']}").json == mine


def test_a_series_clashing_late_writes_no_occurrence(api, small_salon):
    """All or nothing: the third week clashes, so not even the first two are kept."""
    s = small_salon
    third_week = (datetime.fromisoformat(_tomorrow_at(10)) + timedelta(weeks=2)).isoformat()
    assert api.post("/bookings", json=_booking(s, third_week)).status_code == 201
    bookings = Booking.select().count()
    with nothing_written():
        error = _error(api.post("/booking-series", json=_booking(s, _tomorrow_at(10)) | {
            "every": 1, "unit": "week", "count": 4}), 409)
    assert error["conflicts"][0]["occurrence"] == 3
    assert Booking.select().count() == bookings


def test_time_far_outside_any_calendar_is_refused_not_crashed(api, small_salon):
    """A year-1 instant with an offset once overflowed into a 500."""
    with nothing_written():
        error = _error(api.post("/time-blocks", json={
            "room_id": small_salon["room"].id, "starts_at": "0001-01-01T01:00:00+01:06",
            "ends_at": "0001-01-01T02:00:00Z"}), 422)
    assert {"starts_at", "ends_at"} <= set(_fields(error))
    error = _error(api.get("/clients", query_string={"offset": str(10 ** 30)}), 422)
    assert "offset" in _fields(error)


def test_a_method_the_path_does_not_have_is_405_with_allow(api, small_salon):
    with nothing_written():
        response = api.call("DELETE", "/salon")
    assert _error(response, 405)["code"] == "method_not_allowed"
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "PATCH"}
