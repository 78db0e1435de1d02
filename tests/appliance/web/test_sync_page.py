"""The head-office page on the box: the link's state, and settling online requests that clashed (SY3, SY4)."""
from datetime import datetime, timedelta, timezone

from appliance.services import sync_outbox
from appliance.services.bookings import create_booking
from appliance.services.online_requests import decide_tentative
from appliance.storage.models.bookings import OnlineRequest
from tests.appliance.web.form_client import sign_in


def clashing_request(small_salon, system):
    start = (datetime.now(timezone.utc) + timedelta(days=1)).replace(hour=6, minute=0, second=0, microsecond=0)
    item = [{"service_id": small_salon["cut"].id, "master_id": small_salon["masters"][0].id}]
    create_booking(system, {"client_id": small_salon["client"].id, "starts_at": start, "items": item})
    row = OnlineRequest(client_name="Dilshod Karimov", client_phone="+998907770033", starts_at=start, items=item)
    row.save(force_insert=True)
    decide_tentative()
    return row


def test_the_page_shows_the_link_and_the_request_with_the_clients_phone(app, small_salon, system):
    row = clashing_request(small_salon, system)
    sync_outbox.record_link(False, "no connection to the broker")
    browser = sign_in(app, "administrator")
    html = browser.get("/sync").get_data(as_text=True)
    assert "offline: the box keeps working" in html and "no connection to the broker" in html
    assert "Dilshod Karimov" in html and 'href="tel:+998907770033"' in html
    assert f'action="/sync/requests/{row.id}/handled"' in html
    assert 'class="menu-badge"' in browser.get("/journal").get_data(as_text=True)


def test_a_master_sees_the_request_without_contacts_and_cannot_settle_it(app, small_salon, system):
    row = clashing_request(small_salon, system)
    browser = sign_in(app, "master")
    html = browser.get("/sync").get_data(as_text=True)
    assert "Dilshod Karimov" in html and "+998907770033" not in html and "handled" not in html
    assert browser.post(f"/sync/requests/{row.id}/handled", {"note": "called"}).status_code == 403


def test_settling_needs_a_note_shown_next_to_the_field_then_clears_the_list(app, small_salon, system):
    row = clashing_request(small_salon, system)
    browser = sign_in(app, "administrator")
    refused = browser.post(f"/sync/requests/{row.id}/handled", {"note": " "})
    assert refused.status_code == 422
    assert 'role="alert">Say what was agreed with the client.' in refused.get_data(as_text=True)
    done = browser.post(f"/sync/requests/{row.id}/handled", {"note": "moved to Friday 11:00"})
    assert done.status_code == 302
    page = browser.get("/sync").get_data(as_text=True)
    assert "The request is settled." in page and "Nothing to settle." in page
    assert OnlineRequest.get_by_id(row.id).handled_note == "moved to Friday 11:00"


def test_the_api_gives_the_same_state_and_list(api, small_salon, system, tokens):
    clashing_request(small_salon, system)
    status = api.get("/sync/status").get_json()
    assert status["backlog"] == sync_outbox.sync_status()["backlog"] and status["connected"] is False
    listed = api.get("/online-requests").get_json()["items"]
    assert listed[0]["client_phone"] == "+998907770033" and listed[0]["status"] == "conflict"
    masked = api.as_(tokens["master"]).get("/online-requests").get_json()["items"][0]["client_phone"]
    assert masked != "+998907770033"
    bad = api.post(f"/online-requests/{listed[0]['id']}/handled", json={"note": ""})
    assert bad.status_code == 422 and bad.get_json()["error"]["fields"][0]["field"] == "note"
    assert api.post(f"/online-requests/{listed[0]['id']}/handled", json={"note": "ok"}).status_code == 200
    assert api.get("/online-requests").get_json()["items"] == []
