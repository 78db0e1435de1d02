"""Kiosk pages through the app's test client: a loyalty-card tap, walk-in choices, a tap from another reader."""

from appliance.domain.card_ids import card_uid_hash
from appliance.services import cards, kiosk_pairing, time_clock
from appliance.services.bookings import create_booking
from appliance.storage.models.base import utc_now

KEY = b"k" * 32


def _visit_now(small_salon, system):
    return create_booking(system, {
        "client_id": small_salon["client"].id, "starts_at": utc_now().replace(second=0, microsecond=0),
        "allow_outside_hours": True,
        "items": [{"service_id": small_salon["cut"].id, "master_id": small_salon["masters"][0].id}]})


def test_a_loyalty_card_tap_shows_the_clients_visits(kiosk_client, small_salon, system):
    booking = _visit_now(small_salon, system)
    uid = card_uid_hash(b"\x04\x01\x02\x03", KEY)
    cards.enrol_card(system, cards.Holder("client", small_salon["client"].id), uid)
    tap = time_clock.handle_tap("Desk reader", uid)
    assert tap.outcome == "client"
    listed = kiosk_client.get("/kiosk/taps?after=0").get_json()
    assert [t["id"] for t in listed["taps"]] == [tap.id]
    page = kiosk_client.get(listed["taps"][0]["url"]).get_data(as_text=True)
    assert "Aziza" in page and "Karimova" not in page and f"/kiosk/arrive/{booking.id}" in page


def test_a_kiosk_bound_to_a_reader_ignores_taps_at_others(kiosk_client, system):
    kiosk_pairing.set_reader(system, kiosk_client.device.id, "Entrance reader")
    tap = time_clock.handle_tap("Back office reader", card_uid_hash(b"\x04\x09\x09\x09", KEY))
    assert kiosk_client.get("/kiosk/taps?after=0").get_json()["taps"] == []
    assert kiosk_client.get(f"/kiosk/tap/{tap.id}").status_code == 404


def test_walk_in_pages_list_services_and_refuse_an_unknown_one(kiosk_client, small_salon):
    services = kiosk_client.get("/kiosk/walk-in").get_data(as_text=True)
    assert "Haircut" in services and f"/kiosk/walk-in/{small_salon['cut'].id}" in services
    assert kiosk_client.get(f"/kiosk/walk-in/{small_salon['cut'].id}").status_code == 200
    assert kiosk_client.get("/kiosk/walk-in/no-such-service").status_code == 404


def test_a_walk_in_with_a_bad_phone_is_told_next_to_the_field(kiosk_client, small_salon):
    # This minute: half an hour ahead was already tomorrow after 23:30 salon time, and the
    # kiosk refused the start before it looked at the phone.
    start = utc_now().replace(second=0, microsecond=0)
    response = kiosk_client.post(f"/kiosk/walk-in/{small_salon['cut'].id}/book", data={
        "csrf_token": kiosk_client.csrf, "master_id": small_salon["masters"][0].id,
        "starts_at": start.isoformat(), "phone": "12", "first_name": "Nodira"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="phone-error"' in page and 'value="Nodira"' in page
