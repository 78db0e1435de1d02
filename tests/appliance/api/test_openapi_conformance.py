"""The served OpenAPI document matches what every endpoint accepts and returns (schemathesis).

The document is loaded from the app itself. Each test builds one app with
real data (function-scoped fixtures) and runs the Hypothesis loop of every
operation inside it, as a subtest per operation. (schemathesis.pytest's
from_fixture does the same but does not run under pytest 9.)
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
# No 5xx; every status, content type and body as documented; what the document calls invalid is refused.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection]
# Bounded so the whole file runs in well under a minute on two cores.
FUZZ = settings(max_examples=20, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
# The run sends its own bearer token, so the fuzzer must not drop or garble it.
CONFIG = {"generation": {"with-security-parameters": False}}
# Logging out would revoke the very token the run is using.
SKIPPED = {"POST /api/v1/auth/logout"}


def _tomorrow_at(hour: int) -> str:
    day = date.today() + timedelta(days=1)
    return f"{day.isoformat()}T{hour:02d}:00:00"


@pytest.fixture
def known_ids(api, small_salon):
    """Ids of real rows, near dates and times and fitting prices, keyed by the names the API uses."""
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
    days = [(date.today() + timedelta(days=n)).isoformat() for n in (1, 2, 9)]
    return {
        "booking_id": [booking.json["id"]],
        "id": [booking.json["items"][0]["id"]],  # an item of that booking
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
        "day": days,
        "price": ["150000", "300000"],  # within the services' price ranges
        "price_max": ["250000"],
        **dict.fromkeys(("date_from", "valid_from", "anchor"), days[:2]),
        **dict.fromkeys(("date_to", "valid_until"), days[1:]),
        **dict.fromkeys(("starts_at", "starts_from"), [_tomorrow_at(9), _tomorrow_at(10), _tomorrow_at(13)]),
        **dict.fromkeys(("starts_before", "ends_at"), [_tomorrow_at(11), _tomorrow_at(18), _tomorrow_at(21)]),
    }


def _with_known(draw, value, known):
    """``value`` with some of its id and time fields swapped for real ids and near times, at any depth."""
    if isinstance(value, dict):
        return {key: _swapped(draw, item, known[key]) if key in known else _with_known(draw, item, known)
                for key, item in value.items()}
    if isinstance(value, list):
        return [_with_known(draw, item, known) for item in value]
    return value


def _swapped(draw, value, choices):
    if isinstance(value, list):
        return [_swapped(draw, item, choices) for item in value]
    if isinstance(value, str) and draw(st.integers(0, 4)):  # mostly: deep paths need every id to exist
        return draw(st.sampled_from(choices))
    return value


def _strategy(operation):
    modes = [operation.as_strategy(generation_mode=GenerationMode.POSITIVE)]
    if operation.path_parameters or operation.query or operation.body:
        modes.append(operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
    return st.one_of(modes)


def _fuzz(app, token, known, subtests):
    """Drive every documented operation with generated requests and check each answer against the document."""
    schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, app, config=schemathesis.Config.from_dict(CONFIG))
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
                for part in ("path_parameters", "query", "body"):
                    if isinstance(getattr(case, part), dict):
                        setattr(case, part, _with_known(data.draw, getattr(case, part), known))
            case.call_and_validate(headers=headers, checks=CHECKS)

        with subtests.test(msg=operation.label):
            run()
    return labels


def test_every_operation_conforms_as_owner(app, tokens, known_ids, subtests):
    labels = _fuzz(app, tokens["owner"], known_ids, subtests)
    assert "POST /api/v1/bookings" in labels and len(labels) > 40


def test_every_operation_conforms_as_master(app, tokens, known_ids, subtests):
    _fuzz(app, tokens["master"], known_ids, subtests)
