"""Schedules, absences, blocked time and group events all shape the nearest free time (ST2, BK5, BK6, BK11)."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from appliance.domain.wallclock import local_to_utc
from appliance.services import group_events, schedules
from appliance.services.availability import free_slots
from appliance.services.bookings import create_booking
from appliance.services.clients import create_client
from appliance.services.errors import Conflict

TZ = ZoneInfo("Asia/Tashkent")
MONDAY = date(2026, 12, 7)


def at(day: date, hour: int, minute: int = 0):
    return local_to_utc(datetime.combine(day, time(hour, minute)), TZ)


def local_starts(slots):
    return [s["starts_at"].astimezone(TZ).strftime("%a %H:%M") for s in slots]


@pytest.fixture
def olga(small_salon):
    return small_salon["masters"][1]


def test_two_two_cycle_and_absence_decide_the_days_offered(small_salon, system, olga):
    schedules.create_pattern(system, olga.id, {"kind": "cycle", "valid_from": MONDAY, "anchor": MONDAY,
                                               "days": [[["10:00", "12:00"]], [["10:00", "12:00"]], [], []]})
    schedules.create_absence(system, olga.id, {"date_from": MONDAY + timedelta(days=4),
                                               "date_to": MONDAY + timedelta(days=4), "reason": "sick_leave"})
    slots = free_slots([(small_salon["cut"].id, olga.id)], at(MONDAY, 0), days=7, limit=50)
    assert sorted({s[:3] for s in local_starts(slots)}) == ["Mon", "Sat", "Tue"]  # Fri is a cycle day, but absent
    assert local_starts(slots)[:2] == ["Mon 10:00", "Mon 10:15"]


def test_single_day_change_and_lunch_block(small_salon, system, olga):
    schedules.set_day(system, olga.id, MONDAY, [["14:00", "16:00"]])
    schedules.create_block(system, {"staff_id": olga.id, "starts_at": at(MONDAY, 14, 30),
                                    "ends_at": at(MONDAY, 15, 0), "reason": "lunch"})
    slots = free_slots([(small_salon["cut"].id, olga.id)], at(MONDAY, 0), days=1, limit=50)
    assert local_starts(slots) == ["Mon 15:00"]  # 60 min + 15 buffer must miss the block and end by 16:00
    with pytest.raises(Conflict) as error:
        create_booking(system, {"client_id": small_salon["client"].id, "starts_at": at(MONDAY, 14),
                                "items": [{"service_id": small_salon["cut"].id, "master_id": olga.id}]})
    assert {c["with"] for c in error.value.conflicts} == {"time_block"}


def test_room_maintenance_moves_the_laser_slots(small_salon, system):
    schedules.create_block(system, {"room_id": small_salon["room"].id, "starts_at": at(MONDAY, 9),
                                    "ends_at": at(MONDAY, 12), "reason": "maintenance"})
    slots = free_slots([(small_salon["laser"].id, None)], at(MONDAY, 9), days=1, limit=1)
    assert local_starts(slots) == ["Mon 12:00"]


def test_group_event_holds_the_master_and_fills_up(small_salon, system, olga):
    event = group_events.create_event(system, {"service_id": small_salon["cut"].id, "master_id": olga.id,
                                               "starts_at": at(MONDAY, 9), "capacity": 2, "title": "Braids class"})
    slots = free_slots([(small_salon["cut"].id, olga.id)], at(MONDAY, 9), days=1, limit=1)
    assert local_starts(slots) == ["Mon 10:15"]
    others = [create_client(system, {"first_name": f"C{i}", "phone": f"+99890555000{i}"}) for i in range(3)]
    group_events.sign_up(system, event.id, others[0].id)
    group_events.sign_up(system, event.id, others[1].id)
    with pytest.raises(Conflict, match="full"):
        group_events.sign_up(system, event.id, others[2].id)
    group_events.set_attendee_status(system, event.id, others[0].id, "cancelled")
    group_events.sign_up(system, event.id, others[2].id)
    assert group_events.booked_count(event) == 2
    group_events.cancel_event(system, event.id, "teacher ill")
    slots = free_slots([(small_salon["cut"].id, olga.id)], at(MONDAY, 9), days=1, limit=1)
    assert local_starts(slots) == ["Mon 09:00"]


def test_multi_service_slot_puts_services_back_to_back(small_salon, system):
    dilnoza, olga = small_salon["masters"]
    requested = [(small_salon["cut"].id, dilnoza.id), (small_salon["laser"].id, olga.id)]
    create_booking(system, {"client_id": small_salon["client"].id, "starts_at": at(MONDAY, 10),
                            "items": [{"service_id": small_salon["cut"].id, "master_id": olga.id}]})
    (slot,) = free_slots(requested, at(MONDAY, 9), days=1, limit=1)
    first, second = slot["items"]
    assert first["ends_at"] == second["starts_at"]
    assert second["starts_at"].astimezone(TZ).strftime("%H:%M") == "11:15"  # Olga busy 10:00-11:15
