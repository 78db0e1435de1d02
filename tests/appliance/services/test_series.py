"""Recurring bookings: all or nothing, skipping clashes on request, editing this or all following (BK4)."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from appliance.domain.wallclock import local_to_utc
from appliance.services.bookings import create_booking
from appliance.services.errors import Conflict
from appliance.services.series import cancel_following, create_series, update_following
from appliance.storage.models.bookings import Booking

TZ = ZoneInfo("Asia/Tashkent")
START = date(2026, 12, 7)


def at(day, hour, minute=0):
    return local_to_utc(datetime.combine(day, time(hour, minute)), TZ)


@pytest.fixture
def visit(small_salon):
    return {"client_id": small_salon["client"].id, "starts_at": at(START, 10),
            "items": [{"service_id": small_salon["cut"].id, "master_id": small_salon["masters"][0].id}]}


def test_a_clash_refuses_the_whole_series_unless_skipping(visit, system, small_salon):
    create_booking(system, {**visit, "starts_at": at(START + timedelta(days=14), 10)})
    with pytest.raises(Conflict, match="occurrence 3"):
        create_series(system, visit, every=1, unit="week", count=4)
    assert Booking.select().count() == 1
    series, made, skipped = create_series(system, visit, every=1, unit="week", count=4, skip_conflicts=True)
    assert len(made) == 3 and [s["occurrence"] for s in skipped] == [3]
    assert {b.series_id for b in made} == {series.id}


def test_move_and_cancel_this_and_following(visit, system):
    _, made, _ = create_series(system, visit, every=2, unit="day", count=4)
    update_following(system, made[1].id, {"starts_at": at(START + timedelta(days=2), 11, 30)})
    hours = [Booking.get_by_id(b.id).starts_at.astimezone(TZ).strftime("%d %H:%M") for b in made]
    assert hours == ["07 10:00", "09 11:30", "11 11:30", "13 11:30"]
    cancel_following(system, made[2].id, "cancelled", "moved abroad")
    statuses = [Booking.get_by_id(b.id).status for b in made]
    assert statuses == ["confirmed", "confirmed", "cancelled", "cancelled"]


def test_move_of_following_is_all_or_nothing(visit, system, small_salon):
    _, made, _ = create_series(system, visit, every=1, unit="day", count=3)
    create_booking(system, {**visit, "starts_at": at(START + timedelta(days=2), 14)})
    with pytest.raises(Conflict):
        update_following(system, made[0].id, {"starts_at": at(START, 14)})
    assert [Booking.get_by_id(b.id).starts_at for b in made] == [b.starts_at for b in made]
