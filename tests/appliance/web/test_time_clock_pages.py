"""The time clock's pages (ST4, KI2): the timesheet grid, corrections with reasons, cards; roles."""
import csv
import io
from datetime import date, datetime, timedelta, timezone

import pytest
from openpyxl import load_workbook

from appliance.domain.card_ids import card_uid_hash
from appliance.services import punch_corrections as corrections
from appliance.services import time_clock
from appliance.storage.models.time_clock import Card, TimePunch
from appliance.storage.secrets import card_key
from tests.appliance.web.form_client import field_block, sign_in

MONDAY = date(2026, 3, 2)
TASHKENT = timezone(timedelta(hours=5))


@pytest.fixture
def admin(app, small_salon):
    return sign_in(app, "administrator")


@pytest.fixture
def monday(small_salon, system):
    """Dilnoza (09-18) in at 09:12 and out at 18:00 on Monday 2 March 2026, by card."""
    master = small_salon["masters"][0]
    corrections.add_punch(system, master.id, datetime(2026, 3, 2, 9, 12, tzinfo=TASHKENT), "in", "paper log")
    corrections.add_punch(system, master.id, datetime(2026, 3, 2, 18, 0, tzinfo=TASHKENT), "out", "paper log")
    return master


def test_the_timesheet_shows_hours_marks_and_totals(admin, monday):
    html = admin.get("/time-clock/timesheet?date_from=2026-03-02&date_to=2026-03-03").get_data(as_text=True)
    assert "Timesheet" in html and "Dilnoza" in html
    assert "8:48" in html and ">L12<" in html
    assert 'href="/time-clock/punches?staff=' in html and "Download XLSX" in html
    assert 'href="/time-clock/timesheet"' in admin.get("/journal").get_data(as_text=True)  # the menu link


def test_a_bad_period_is_shown_next_to_the_field(admin, monday):
    response = admin.get("/time-clock/timesheet?date_from=2026-03-10&date_to=2026-03-01")
    assert response.status_code == 422
    assert "The end date is before the start date." in field_block(response.get_data(as_text=True), "date_to")


def test_the_files_carry_the_users_language(app, small_salon, monday):
    russian = sign_in(app, "manager", locale="ru")
    data = russian.get("/time-clock/timesheet.csv?date_from=2026-03-02&date_to=2026-03-02").data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Сотрудник" and rows[1][3] == "528"
    book = load_workbook(io.BytesIO(russian.get("/time-clock/timesheet.xlsx?date_from=2026-03-02&date_to=2026-03-02").data))
    assert book.sheetnames[0] == "Табель"


def test_a_correction_needs_a_reason_shown_next_to_the_field_and_is_logged(admin, monday):
    punch = TimePunch.get((TimePunch.staff == monday.id) & (TimePunch.kind == "in"))
    place = {"staff": monday.id, "day": "2026-03-02"}
    refused = admin.post(f"/time-clock/punches/{punch.id}/move", {**place, "on_day": "2026-03-02", "time": "09:00",
                                                                  "reason": " "})
    assert refused.status_code == 422
    assert "Fill this in." in field_block(refused.get_data(as_text=True), "reason")
    done = admin.post(f"/time-clock/punches/{punch.id}/move", {**place, "on_day": "2026-03-02", "time": "09:00",
                                                               "reason": "reader was busy"})
    assert done.status_code == 302
    html = admin.get("/time-clock/punches?staff=%s&day=2026-03-02" % monday.id).get_data(as_text=True)
    assert "voided by Administrator" in html and "reader was busy" in html and "changed a punch" in html
    assert "9:00" in html  # worked 09:00-18:00
    added = admin.post("/time-clock/punches/add", {**place, "kind": "in", "time": "25:00", "reason": ""})
    assert added.status_code == 422
    body = added.get_data(as_text=True)
    body = body[body.index('id="add-punch"'):]  # the add form, not the move forms above it
    assert "Enter a time like 09:30." in field_block(body, "time") and "Fill this in." in field_block(body, "reason")


def test_a_master_sees_no_time_clock(app, small_salon, monday):
    master = sign_in(app, "master")
    assert master.get("/time-clock/timesheet").status_code == 403
    assert master.get("/time-clock/cards").status_code == 403
    assert master.post("/time-clock/punches/add", {"staff": monday.id}).status_code == 403
    assert 'href="/time-clock/timesheet"' not in master.get("/journal").get_data(as_text=True)


def test_cards_page_enrols_from_the_latest_tap_and_revokes_with_a_reason(app, admin, small_salon):
    key = card_key(app.config["DATA_DIR"])
    uid_hash = card_uid_hash(bytes.fromhex("04a21b7c558001"), key)
    seen = time_clock.handle_tap("reception", uid_hash)
    html = admin.get("/time-clock/cards").get_data(as_text=True)
    assert f'name="tap_id" id="tap-id" value="{seen.id}"' in html and "A card was tapped" in html
    master = small_salon["masters"][1]
    missing = admin.post("/time-clock/cards/enrol", {"holder": "staff", "staff_id": "", "tap_id": str(seen.id)})
    assert missing.status_code == 422 and "Choose the staff member." in missing.get_data(as_text=True)
    enrolled = admin.post("/time-clock/cards/enrol", {"holder": "staff", "staff_id": master.id, "tap_id": str(seen.id),
                                                      "label": "green"})
    assert enrolled.status_code == 302
    card = Card.get(Card.uid_hash == uid_hash)
    assert (card.staff_id, card.label, card.active) == (master.id, "green", True)
    listing = admin.get("/time-clock/cards").get_data(as_text=True)
    assert "Olga" in listing and "green" in listing and uid_hash not in listing
    again = admin.post("/time-clock/cards/enrol", {"holder": "staff", "staff_id": small_salon["masters"][0].id,
                                                   "tap_id": str(seen.id)})
    assert again.status_code == 422 and "already enrolled for someone else" in again.get_data(as_text=True)
    assert admin.post(f"/time-clock/cards/{card.id}/revoke", {"reason": ""}).status_code == 422
    assert admin.post(f"/time-clock/cards/{card.id}/revoke", {"reason": "lost"}).status_code == 302
    assert "revoked" in admin.get("/time-clock/cards").get_data(as_text=True)
    assert time_clock.handle_tap("reception", uid_hash).outcome == "revoked"
