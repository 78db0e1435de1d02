"""Printing a visit card through the API: who may, and what happens with no printer."""
from datetime import datetime, timezone

import pytest

from appliance.services import printers
from appliance.services.bookings import create_booking
from appliance.storage.models.printing import PrintJob


@pytest.fixture
def booking(small_salon, system):
    return create_booking(system, {
        "client_id": small_salon["client"].id, "starts_at": datetime(2026, 12, 3, 6, 0, tzinfo=timezone.utc),
        "items": [{"service_id": small_salon["cut"].id, "master_id": small_salon["masters"][0].id}]})


def test_without_a_receipt_printer_the_card_is_refused_with_a_reason(api, tokens, booking):
    response = api.as_(tokens["administrator"]).post(f"/bookings/{booking.id}/visit-card", {"language": "uz"})
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "no_printer"
    assert PrintJob.select().count() == 0


def test_the_administrator_queues_a_visit_card_and_a_master_may_not(api, tokens, booking, system):
    printer = printers.create_printer(system, {"name": "Kassa", "role": "receipt", "connection": "network",
                                               "address": "127.0.0.1:9100", "profile": "TM-T88V",
                                               "paper_width_mm": 80, "code_page": "auto"})
    assert api.as_(tokens["master"]).post(f"/bookings/{booking.id}/visit-card", {}).status_code == 403
    response = api.as_(tokens["administrator"]).post(f"/bookings/{booking.id}/visit-card", {"language": "ru"})
    assert response.status_code == 202
    job = PrintJob.get_by_id(response.get_json()["id"])
    assert (job.kind, job.state, job.printer_id) == ("visit_card", "queued", printer.id)
    bad = api.as_(tokens["administrator"]).post(f"/bookings/{booking.id}/visit-card", {"language": "de"})
    assert bad.status_code == 422 and bad.get_json()["error"]["fields"][0]["field"] == "language"
