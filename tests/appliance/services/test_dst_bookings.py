"""Bookings keep their wall-clock time across daylight-saving changes (BK13, BK4)."""
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from appliance.domain.wallclock import local_to_utc
from appliance.services import catalogue, salon as salon_service, schedules
from appliance.services.auth import issue_token
from appliance.services.bookings import create_booking
from appliance.services.clients import create_client
from appliance.services.series import create_series
from appliance.services.staff import create_staff, set_skills


def _salon_in(zone: str, country: str, system):
    salon_service.set_up(system, {"name": zone, "timezone": zone, "currency": "EUR" if country == "DE" else "UZS",
                                  "country": country, "opening_hours": [[["08:00", "20:00"]]] * 7})
    category = catalogue.create_category(system, {"name": "Hair"})
    cut = catalogue.create_service(system, {"category_id": category.id, "name": "Cut", "duration_min": 60,
                                            "price": Decimal("50")})
    master = create_staff(system, {"first_name": "Eva", "role": "master", "bookable": True})
    set_skills(system, master.id, [{"service_id": cut.id}])
    schedules.create_pattern(system, master.id, {"kind": "weekly", "days": [[["09:00", "18:00"]]] * 7,
                                                 "valid_from": date(2026, 1, 1)})
    phone = "+4915112345678" if country == "DE" else "+998901234567"
    client = create_client(system, {"first_name": "Lena", "phone": phone})
    return cut, master, client


@pytest.mark.parametrize("zone,country,utc_hours", [
    ("Europe/Berlin", "DE", [9, 9, 8, 8]),      # clocks go forward on 2026-03-29
    ("Asia/Tashkent", "UZ", [5, 5, 5, 5]),      # no DST at all
])
def test_weekly_series_keeps_ten_oclock_wall_time(app, system, zone, country, utc_hours):
    cut, master, client = _salon_in(zone, country, system)
    tz = ZoneInfo(zone)
    first = local_to_utc(datetime(2026, 3, 16, 10, 0), tz)
    _, made, skipped = create_series(system, {"client_id": client.id, "starts_at": first, "items": [
        {"service_id": cut.id, "master_id": master.id}]}, every=1, unit="week", count=4)
    assert skipped == []
    assert [b.starts_at.hour for b in made] == utc_hours
    assert {b.starts_at.astimezone(tz).strftime("%H:%M") for b in made} == {"10:00"}
    assert [b.starts_at.astimezone(tz).date().isoformat() for b in made] == [
        "2026-03-16", "2026-03-23", "2026-03-30", "2026-04-06"]


def test_working_hours_follow_local_time_after_the_change(app, system):
    cut, master, client = _salon_in("Europe/Berlin", "DE", system)
    tz = ZoneInfo("Europe/Berlin")
    # 09:00 local is 07:00 UTC in summer time (08:00 before); the 09-18 schedule still allows it.
    booking = create_booking(system, {"client_id": client.id, "starts_at": local_to_utc(datetime(2026, 3, 30, 9), tz),
                                      "items": [{"service_id": cut.id, "master_id": master.id}]})
    assert booking.starts_at.hour == 7 and booking.starts_at.astimezone(tz).hour == 9


def test_naive_time_in_the_gap_is_refused_by_the_api(app, system):
    cut, master, client = _salon_in("Europe/Berlin", "DE", system)
    owner = create_staff(system, {"first_name": "O", "role": "owner", "username": "o"})
    token = issue_token(owner, timedelta(hours=1)).token
    response = app.test_client().post("/api/v1/bookings", headers={"Authorization": f"Bearer {token}"}, json={
        "client_id": client.id, "starts_at": "2026-03-29T02:30:00", "allow_outside_hours": True,
        "items": [{"service_id": cut.id, "master_id": master.id}]})
    assert response.status_code == 422
    assert response.json["error"]["fields"][0]["field"] == "starts_at"
    assert "does not exist" in response.json["error"]["fields"][0]["reason"]
