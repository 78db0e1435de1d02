"""The time clock's API (ST4, KI2): roles, field errors, cards from a tap, corrections, the timesheet and its files."""
import csv
import io
from datetime import datetime, timedelta, timezone

import pytest
from openpyxl import load_workbook

from appliance.domain.card_ids import card_uid_hash
from appliance.services import time_clock
from appliance.storage.secrets import card_key

READER = "reception"


@pytest.fixture
def card_hash(app):
    return card_uid_hash(bytes.fromhex("04a21b7c558001"), card_key(app.config["DATA_DIR"]))


@pytest.fixture
def admin(api, tokens):
    return api.as_(tokens["administrator"])


@pytest.fixture
def enrolled(admin, small_salon, card_hash):
    """Dilnoza's card, enrolled from the tap the page saw."""
    seen = time_clock.handle_tap(READER, card_hash)
    latest = admin.get("/card-taps/latest-unknown").json["tap"]
    assert (latest["id"], latest["outcome"]) == (seen.id, "unknown")
    response = admin.post("/cards", json={"staff_id": small_salon["masters"][0].id, "tap_id": seen.id,
                                          "label": "blue tag"})
    assert response.status_code == 201, response.json
    return response.json


def yesterday_at(hour: int) -> str:
    day = datetime.now(timezone(timedelta(hours=5))).date() - timedelta(days=1)
    return f"{day.isoformat()}T{hour:02d}:00:00"


def test_enrol_list_and_revoke_a_card(admin, enrolled, small_salon, card_hash):
    assert (enrolled["holder"], enrolled["holder_name"], enrolled["active"]) == ("staff", "Dilnoza", True)
    assert "uid_hash" not in enrolled and card_hash not in str(admin.get("/cards").json)
    assert admin.get("/card-taps/latest-unknown").json == {"tap": None}
    clash = admin.post("/cards", json={"staff_id": small_salon["masters"][1].id, "uid_hash": card_hash})
    assert clash.status_code == 422 and clash.json["error"]["fields"][0]["field"] == "uid_hash"
    both = admin.post("/cards", json={"staff_id": small_salon["masters"][1].id, "client_id": "x", "uid_hash": card_hash})
    assert both.status_code == 422 and both.json["error"]["fields"][0]["field"] == "staff_id"
    no_reason = admin.post(f"/cards/{enrolled['id']}/revoke", json={"reason": ""})
    assert no_reason.status_code == 422 and no_reason.json["error"]["fields"][0]["field"] == "reason"
    revoked = admin.post(f"/cards/{enrolled['id']}/revoke", json={"reason": "lost"})
    assert revoked.status_code == 200 and revoked.json["active"] is False and revoked.json["revoke_reason"] == "lost"
    assert admin.post(f"/cards/{enrolled['id']}/revoke", json={"reason": "again"}).status_code == 409
    assert admin.get("/cards").json["total"] == 0 and admin.get("/cards?include_revoked=true").json["total"] == 1
    assert time_clock.handle_tap(READER, card_hash).outcome == "revoked"


def test_punches_corrections_and_the_timesheet(admin, enrolled, small_salon):
    master = small_salon["masters"][0].id
    added_in = admin.post("/time-punches", json={"staff_id": master, "at": yesterday_at(9), "kind": "in",
                                                 "reason": "forgot to tap"})
    assert added_in.status_code == 201, added_in.json
    assert added_in.json["source"] == "correction" and added_in.json["at"].endswith("+05:00")
    added_out = admin.post("/time-punches", json={"staff_id": master, "at": yesterday_at(17), "kind": "out",
                                                  "reason": "forgot to tap"})
    moved = admin.post(f"/time-punches/{added_out.json['id']}/move", json={"at": yesterday_at(18), "reason": "typo"})
    assert moved.status_code == 201 and moved.json["replaces_id"] == added_out.json["id"]
    day = yesterday_at(0)[:10]
    listed = admin.get(f"/time-punches?date_from={day}&date_to={day}&staff_id={master}").json["items"]
    assert [(p["kind"], p["voided"]) for p in listed] == [("in", False), ("out", True), ("out", False)]
    sheet = admin.get(f"/timesheet?date_from={day}&date_to={day}&staff_id={master}").json
    assert sheet["timezone"] == "Asia/Tashkent"
    report = sheet["staff"][0]["days"][0]
    assert (report["worked_min"], report["planned_min"], report["late_min"]) == (540, 540, 0)
    voided = admin.post(f"/time-punches/{added_in.json['id']}/void", json={"reason": "wrong person"})
    assert voided.status_code == 200 and voided.json["voided"] is True
    assert admin.post(f"/time-punches/{added_in.json['id']}/void", json={"reason": "again"}).status_code == 409


def test_bad_input_is_422_naming_the_field(admin, small_salon):
    master = small_salon["masters"][0].id
    cases = [
        (admin.post("/time-punches", json={"staff_id": master, "at": yesterday_at(9), "kind": "in", "reason": ""}),
         "reason"),
        (admin.post("/time-punches", json={"staff_id": master, "at": "2199-01-01T09:00", "kind": "in",
                                           "reason": "x"}), "at"),
        (admin.post("/time-punches", json={"staff_id": "nobody", "at": yesterday_at(9), "kind": "in",
                                           "reason": "x"}), "staff_id"),
        (admin.post("/time-punches", json={"staff_id": master, "at": yesterday_at(9), "kind": "up", "reason": "x"}),
         "kind"),
        (admin.get("/timesheet?date_from=2026-03-10&date_to=2026-03-01"), "date_to"),
        (admin.get("/time-punches?date_from=2026-03-01&date_to=2026-03-02&staff_id=nobody"), "staff_id.0"),
        (admin.post("/cards", json={"staff_id": master}), "tap_id"),
        (admin.post("/cards", json={"staff_id": master, "tap_id": 12345}), "tap_id"),
    ]
    for response, field in cases:
        assert response.status_code == 422, response.json
        assert response.json["error"]["fields"][0]["field"] == field


def test_a_master_cannot_correct_or_read_and_a_kiosk_cannot_do_anything_here(api, tokens, small_salon):
    master_id = small_salon["masters"][0].id
    device = api.post("/devices", json={"name": "Reception kiosk"}).json["token"]
    for token in (tokens["master"], device):
        caller = api.as_(token)
        for response in (
                caller.post("/time-punches", json={"staff_id": master_id, "at": yesterday_at(9), "kind": "in",
                                                   "reason": "x"}),
                caller.post("/time-punches/x/void", json={"reason": "x"}),
                caller.get("/timesheet?date_from=2026-03-01&date_to=2026-03-02"),
                caller.get("/timesheet/export?date_from=2026-03-01&date_to=2026-03-02"),
                caller.get("/cards"), caller.post("/cards", json={"staff_id": master_id, "tap_id": 1}),
                caller.get("/card-taps/latest-unknown")):
            assert response.status_code == 403, response.json
    assert api.get("/timesheet/export?date_from=2026-03-01&date_to=2026-03-02").status_code == 200
    assert api.as_(None).get("/timesheet/export?date_from=2026-03-01&date_to=2026-03-02").status_code == 401


def test_an_administrator_does_not_correct_their_own_punches(admin, api, small_salon):
    me = admin.get("/auth/me").json["id"]
    body = {"staff_id": me, "at": yesterday_at(9), "kind": "in", "reason": "I was here"}
    assert admin.post("/time-punches", json=body).status_code == 403
    assert api.as_(api.token).post("/time-punches", json=body).status_code == 201  # the owner may


def test_the_timesheet_downloads_as_xlsx_and_csv(api, small_salon):
    master = small_salon["masters"][0].id
    for at, kind in ((yesterday_at(9), "in"), (yesterday_at(19), "out")):
        api.post("/time-punches", json={"staff_id": master, "at": at, "kind": kind, "reason": "paper log"})
    day = yesterday_at(0)[:10]
    xlsx = api.get(f"/timesheet/export?date_from={day}&date_to={day}&format=xlsx")
    assert xlsx.status_code == 200 and "attachment" in xlsx.headers["Content-Disposition"]
    grid = list(load_workbook(io.BytesIO(xlsx.data))["Timesheet"].iter_rows(values_only=True))
    assert ("Dilnoza", 10) == (grid[1][0], grid[1][1])
    csv_file = api.get(f"/timesheet/export?date_from={day}&date_to={day}&format=csv")
    assert csv_file.data.startswith(b"\xef\xbb\xbf") and csv_file.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(csv_file.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][:4] == ["Dilnoza", day, "540", "600"] and rows[1][6] == "60"
    bad = api.get(f"/timesheet/export?date_from={day}&date_to={day}&format=pdf")
    assert bad.status_code == 422 and bad.json["error"]["fields"][0]["field"] == "format"


def test_every_time_clock_operation_checks_the_callers_role(app, tokens, small_salon):
    """As tests/appliance/api/test_permissions.py does for every operation, here for this blueprint's."""
    from appliance.domain.permissions import allowed

    client = app.test_client()
    doc = client.get("/api/v1/openapi.json").json
    operations = [(path, method.upper(), op) for path, methods in doc["paths"].items()
                  for method, op in methods.items() if op["tags"] == ["time_clock"]]
    assert len(operations) == 9
    for path, method, operation in operations:
        concrete = path.replace("{card_id}", "no-such-id").replace("{punch_id}", "no-such-id")
        view = app.view_functions[app.url_map.bind("").match(concrete, method=method)[0]]
        for role, token in tokens.items():
            response = client.open(concrete, method=method, headers={"Authorization": f"Bearer {token}"},
                                   json={} if "requestBody" in operation else None)
            assert response.status_code < 500, (path, role, response.json)
            assert (response.status_code == 403) != allowed(role, view.operation.permission), (path, role)
