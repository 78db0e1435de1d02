"""Booking through the API: sequence, conflicts named in 409, moves, lifecycle and history."""
from datetime import date, datetime, timedelta


def _tomorrow_at(hour: int, minute: int = 0) -> str:
    day = date.today() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, minute).isoformat()


def _book(api, s, start, master=0, service="cut", **extra):
    return api.post("/bookings", json={
        "client_id": s["client"].id, "starts_at": start,
        "items": [{"service_id": s[service].id, "master_id": s["masters"][master].id}], **extra})


def test_booking_is_created_in_salon_time(api, small_salon):
    response = _book(api, small_salon, _tomorrow_at(10))
    assert response.status_code == 201, response.json
    body = response.json
    assert body["starts_at"].endswith("10:00:00+05:00")
    assert body["items"][0]["busy_until"].endswith("11:15:00+05:00")  # 60 min + 15 buffer
    assert body["total"] == "150000.00" or body["total"] == "150000"
    assert body["status"] == "confirmed" and len(body["code"]) == 6


def test_overlap_with_buffer_is_refused_with_named_conflict(api, small_salon):
    first = _book(api, small_salon, _tomorrow_at(10)).json
    clash = _book(api, small_salon, _tomorrow_at(11, 5))  # inside the 15-minute clean-up
    assert clash.status_code == 409
    error = clash.json["error"]
    assert error["code"] == "booking_conflict"
    assert error["conflicts"][0]["resource"] == "master"
    assert error["conflicts"][0]["id"] == first["id"]
    assert _book(api, small_salon, _tomorrow_at(11, 15)).status_code == 201


def test_two_services_in_sequence_with_different_masters(api, small_salon):
    s = small_salon
    response = api.post("/bookings", json={
        "client_id": s["client"].id, "starts_at": _tomorrow_at(12),
        "items": [{"service_id": s["cut"].id, "master_id": s["masters"][0].id},
                  {"service_id": s["laser"].id, "master_id": s["masters"][1].id}]})
    assert response.status_code == 201, response.json
    items = response.json["items"]
    assert items[1]["starts_at"] == items[0]["ends_at"]
    assert items[1]["room_id"] == s["room"].id and items[1]["equipment_id"] == s["laser_unit"].id


def test_equipment_is_never_shared(api, small_salon):
    assert _book(api, small_salon, _tomorrow_at(14), master=0, service="laser").status_code == 201
    clash = _book(api, small_salon, _tomorrow_at(14, 15), master=1, service="laser")
    assert clash.status_code == 409
    assert {c["resource"] for c in clash.json["error"]["conflicts"]} >= {"room"} or \
        clash.json["error"]["conflicts"][0]["reason"] == "none free"


def test_outside_working_hours_needs_explicit_permission(api, small_salon):
    late = _book(api, small_salon, _tomorrow_at(17, 30))
    assert late.status_code == 409
    assert late.json["error"]["conflicts"][0]["reason"] == "outside working hours"
    assert _book(api, small_salon, _tomorrow_at(17, 30), allow_outside_hours=True).status_code == 201


def test_move_reassign_and_lifecycle_with_history(api, small_salon):
    s = small_salon
    booking = _book(api, s, _tomorrow_at(10)).json
    _book(api, s, _tomorrow_at(13), master=1)
    refused = api.patch(f"/bookings/{booking['id']}", json={
        "starts_at": _tomorrow_at(13), "items": [{"id": booking["items"][0]["id"], "service_id": s["cut"].id,
                                                 "master_id": s["masters"][1].id}]})
    assert refused.status_code == 409
    moved = api.patch(f"/bookings/{booking['id']}", json={
        "starts_at": _tomorrow_at(15), "items": [{"id": booking["items"][0]["id"], "service_id": s["cut"].id,
                                                 "master_id": s["masters"][1].id, "duration_min": 90}]})
    assert moved.status_code == 200, moved.json
    item = moved.json["items"][0]["items"][0]
    assert item["master_id"] == s["masters"][1].id and item["ends_at"].endswith("16:30:00+05:00")
    assert api.post(f"/bookings/{booking['id']}/status", json={"status": "cancelled"}).status_code == 422
    assert api.post(f"/bookings/{booking['id']}/status", json={"status": "arrived"}).status_code == 200
    done = api.post(f"/bookings/{booking['id']}/status", json={"status": "cancelled", "reason": "client left"})
    assert done.status_code == 200
    assert api.post(f"/bookings/{booking['id']}/status", json={"status": "confirmed"}).status_code == 409
    entries = api.get(f"/bookings/{booking['id']}/history").json["items"]
    assert [e["kind"] for e in entries] == ["created", "moved", "status", "status"]
    created, moved_entry, arrived, cancelled = entries
    # The creation as it was, though the booking has moved and changed status since.
    assert (created["from_status"], created["to_status"]) == (None, "confirmed")
    assert created["changes"]["items"][0]["master_id"] == s["masters"][0].id
    assert created["changes"]["items"] == moved_entry["changes"]["before"]["items"]
    assert created["actor_kind"] == "staff" and created["actor_id"] == arrived["actor_id"]
    assert created["at"] == booking["created_at"] and created["at"] <= moved_entry["at"]
    assert (cancelled["to_status"], cancelled["reason"]) == ("cancelled", "client left")


def test_slots_offer_only_bookable_times(api, small_salon):
    s = small_salon
    _book(api, s, _tomorrow_at(9), master=0)
    _book(api, s, _tomorrow_at(9), master=1)
    slots = api.get("/slots", query_string={"service_id": s["cut"].id, "starts_from": _tomorrow_at(9),
                                            "limit": 4}).json["items"]
    assert slots[0]["starts_at"].endswith("10:15:00+05:00")
    assert [slot["starts_at"][11:16] for slot in slots] == ["10:15", "10:15", "10:30", "10:30"]
    for slot in slots:  # each offered slot can really be booked (then freed for the next one)
        item = slot["items"][0]
        response = _book(api, s, slot["starts_at"], master=[m.id for m in s["masters"]].index(item["master_id"]))
        assert response.status_code == 201, response.json
        api.post(f"/bookings/{response.json['id']}/status", json={"status": "cancelled", "reason": "probe"})
