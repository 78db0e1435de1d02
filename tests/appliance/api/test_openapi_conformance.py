"""The served OpenAPI document matches what every endpoint accepts and returns (schemathesis).

The document is loaded from the app itself. Each test builds one app with
real data (function-scoped fixtures) and runs the Hypothesis loop of every
operation inside it, as a subtest per operation.
"""
from datetime import date, timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, negative_data_rejection, response_schema_conformance, status_code_conformance,
)

from appliance.storage.models.schedules import WorkPattern

SCHEMA_PATH = "/api/v1/openapi.json"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection]
# Bounded so the whole file runs in well under a minute on two cores.
FUZZ = settings(max_examples=20, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
# Logging out would revoke the very token the run is using.
SKIPPED = {"POST /api/v1/auth/logout"}


def _tomorrow_at(hour: int) -> str:
    day = date.today() + timedelta(days=1)
    return f"{day.isoformat()}T{hour:02d}:00:00"


@pytest.fixture
def known_ids(api, small_salon):
    """Ids of real rows of every kind, keyed by the field and parameter names the API uses."""
    s = small_salon
    booking = api.post("/bookings", json={"client_id": s["client"].id, "starts_at": _tomorrow_at(10),
                                          "items": [{"service_id": s["cut"].id, "master_id": s["masters"][0].id}]})
    event = api.post("/group-events", json={"service_id": s["cut"].id, "master_id": s["masters"][1].id,
                                            "starts_at": _tomorrow_at(12), "capacity": 3})
    block = api.post("/time-blocks", json={"room_id": s["room"].id, "starts_at": _tomorrow_at(15),
                                           "ends_at": _tomorrow_at(16), "reason": "cleaning"})
    absence = api.post(f"/staff/{s['masters'][1].id}/absences", json={
        "date_from": (date.today() + timedelta(days=20)).isoformat(),
        "date_to": (date.today() + timedelta(days=22)).isoformat(), "reason": "vacation"})
    device = api.post("/devices", json={"name": "Front desk kiosk"})
    for response in (booking, event, block, absence, device):
        assert response.status_code == 201, response.json
    masters = [m.id for m in s["masters"]]
    return {
        "booking_id": [booking.json["id"]],
        "event_id": [event.json["id"]],
        "block_id": [block.json["id"]],
        "absence_id": [absence.json["id"]],
        "device_id": [device.json["device"]["id"]],
        "pattern_id": [p.id for p in WorkPattern.select()],
        "staff_id": masters,
        "master_id": masters,
        "client_id": [s["client"].id],
        "source_id": [s["client"].id],
        "service_id": [s["cut"].id, s["laser"].id],
        "category_id": [s["cut"].category_id],
        "parent_id": [s["cut"].category_id],
        "room_id": [s["room"].id],
        "equipment_id": [s["laser_unit"].id],
        "day": [(date.today() + timedelta(days=n)).isoformat() for n in (1, 2)],
    }


def _with_known_ids(draw, value, known):
    """``value`` with some of its id fields swapped for real ids, in nested objects and lists too."""
    if isinstance(value, dict):
        return {key: draw(st.sampled_from(known[key])) if key in known and isinstance(item, str)
                and draw(st.booleans()) else _with_known_ids(draw, item, known) for key, item in value.items()}
    if isinstance(value, list):
        return [_with_known_ids(draw, item, known) for item in value]
    return value


def _strategy(operation):
    modes = [operation.as_strategy(generation_mode=GenerationMode.POSITIVE)]
    if operation.path_parameters or operation.query or operation.body:
        modes.append(operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
    return st.one_of(modes)


def _fuzz(app, token, known, subtests):
    """Drive every documented operation with generated requests and check each answer against the document."""
    schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, app)
    headers = {"Authorization": f"Bearer {token}"}
    labels = []
    for result in schema.get_all_operations():
        operation = result.ok()
        labels.append(operation.label)
        if operation.label in SKIPPED:
            continue

        @FUZZ
        @given(case=_strategy(operation), data=st.data())
        def run(case, data):
            # Only valid requests get real ids: swapping a field of an invalid one could make it valid.
            if case.meta is not None and case.meta.generation.mode.is_positive:
                case.path_parameters = _with_known_ids(data.draw, case.path_parameters or {}, known)
                if isinstance(case.body, dict):
                    case.body = _with_known_ids(data.draw, case.body, known)
            case.call_and_validate(headers=headers, checks=CHECKS)

        with subtests.test(msg=operation.label):
            run()
    return labels


def test_every_operation_conforms_as_owner(app, tokens, known_ids, subtests):
    labels = _fuzz(app, tokens["owner"], known_ids, subtests)
    assert "POST /api/v1/bookings" in labels and len(labels) > 40


def test_every_operation_conforms_as_master(app, tokens, known_ids, subtests):
    _fuzz(app, tokens["master"], known_ids, subtests)
