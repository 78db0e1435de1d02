"""Reference rows kept between bookings are never older than what a booking would read itself."""
import re
import sqlite3
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from appliance.domain.intervals import merge
from appliance.domain.wallclock import local_to_utc
from appliance.services import catalogue, schedules
from appliance.services.availability import free_slots
from appliance.services.booking_plan import _working_epochs
from appliance.services.bookings import create_booking
from appliance.services.calendar import epoch
from appliance.services.errors import Conflict, InvalidInput
from appliance.services.reference_rows import ReferenceRows
from appliance.storage.database import database

TZ = ZoneInfo("Asia/Tashkent")
MONDAY = date(2026, 12, 7)
REFERENCE_TABLES = {"salon", "service", "staff", "staff_service", "work_pattern", "schedule_day", "absence"}


def at(day: date, hour: int):
    return local_to_utc(datetime.combine(day, time(hour)), TZ)


@pytest.fixture
def book(small_salon, system):
    """Book the haircut with Olga at ``hour`` on ``day``; the booking."""
    olga = small_salon["masters"][1]

    def booking(day, hour):
        return create_booking(system, {"client_id": small_salon["client"].id, "starts_at": at(day, hour),
                                       "items": [{"service_id": small_salon["cut"].id, "master_id": olga.id}]})
    return booking


@pytest.fixture
def statements_sent():
    """Every SQL statement SQLite runs on this thread's connection while the test runs."""
    sent = []
    connection = database.connection()
    connection.set_trace_callback(sent.append)
    yield sent
    connection.set_trace_callback(None)


def _tables_read(sent) -> set:
    return {name for sql in sent if sql.lstrip().upper().startswith("SELECT")
            for name in re.findall(r'(?:FROM|JOIN) "?(\w+)"?', sql)}


def test_the_second_booking_reads_no_reference_row_again(book, statements_sent):
    book(MONDAY, 10)
    assert REFERENCE_TABLES - {"salon"} <= _tables_read(statements_sent)
    statements_sent.clear()
    book(MONDAY, 12)
    assert _tables_read(statements_sent) & REFERENCE_TABLES == set()
    assert "reference_version" in _tables_read(statements_sent)


def test_a_new_price_is_charged_from_the_next_booking(book, small_salon, system):
    assert book(MONDAY, 10).total == Decimal("150000")
    catalogue.update_service(system, small_salon["cut"].id, {"price": Decimal("180000")})
    assert book(MONDAY, 12).total == Decimal("180000")


def test_a_master_switched_off_by_another_process_is_refused_at_once(book, small_salon):
    book(MONDAY, 10)
    # As the sync agent applying head office's change would: its own connection, plain SQL.
    other = sqlite3.connect(database.obj.database)
    other.execute("UPDATE staff SET active = 0 WHERE id = ?", (small_salon["masters"][1].id,))
    other.commit()
    other.close()
    with pytest.raises(InvalidInput) as error:
        book(MONDAY, 12)
    assert error.value.fields[0][0] == "items.0.master_id"


def test_a_day_off_set_after_a_booking_puts_the_next_one_outside_the_hours(book, small_salon, system):
    book(MONDAY, 10)  # Monday's hours are kept now
    schedules.set_day(system, small_salon["masters"][1].id, MONDAY, [["09:00", "12:00"]])
    with pytest.raises(Conflict) as error:
        book(MONDAY, 14)
    assert {c["with"] for c in error.value.conflicts} == {"outside_working_hours"}


def test_rows_kept_for_one_box_file_are_never_used_for_another(salon):
    first = database.execute_sql("SELECT generation, n FROM reference_version").fetchone()
    kept = ReferenceRows.current()
    assert kept.salon_context().salon.id == salon.id
    database.execute_sql("UPDATE reference_version SET generation = 'another-file', n = ?", [first[1]])
    assert ReferenceRows.current()._kept is not kept._kept


def test_another_day_of_the_same_week_reads_no_schedule_again(book, statements_sent):
    book(MONDAY, 10)
    statements_sent.clear()
    book(MONDAY + timedelta(days=3), 10)  # Thursday
    assert _tables_read(statements_sent) & {"work_pattern", "schedule_day", "absence"} == set()
    book(MONDAY + timedelta(days=7), 10)  # the next week is read anew
    assert {"work_pattern", "schedule_day", "absence"} <= _tables_read(statements_sent)


def test_working_hours_read_for_the_week_are_those_of_the_day_itself(small_salon, system):
    olga = small_salon["masters"][1].id
    schedules.create_pattern(system, olga, {"kind": "cycle", "valid_from": MONDAY + timedelta(days=2),
                                            "days": [[["09:00", "21:00"]], [["09:00", "21:00"]], [], []]})
    schedules.set_day(system, olga, MONDAY - timedelta(days=1), [["20:00", "00:00"]])  # Sunday, till midnight
    schedules.set_day(system, olga, MONDAY, [["00:00", "03:00"], ["10:00", "12:00"]])
    schedules.set_day(system, olga, MONDAY + timedelta(days=9), [])  # a day off in the next week
    schedules.create_absence(system, olga, {"date_from": MONDAY + timedelta(days=4),
                                            "date_to": MONDAY + timedelta(days=8), "reason": "vacation"})
    refs = ReferenceRows.current()
    ctx = refs.salon_context()
    for offset in range(-3, 17):
        day = MONDAY + timedelta(days=offset)
        alone = schedules.working_spans((olga,), day - timedelta(days=1), day, ctx)[olga]
        assert _working_epochs(olga, day, ctx, refs) == merge(sorted((epoch(s), epoch(e)) for s, e in alone)), day


def test_a_second_slot_search_reads_no_reference_row_again(small_salon, statements_sent):
    laser = small_salon["laser"].id
    first = free_slots([(laser, None)], at(MONDAY, 8), 2, 5)
    assert {"service", "staff", "staff_service", "room", "equipment"} <= _tables_read(statements_sent)
    statements_sent.clear()
    assert free_slots([(laser, None)], at(MONDAY, 8), 2, 5) == first
    assert _tables_read(statements_sent) & (REFERENCE_TABLES | {"room", "equipment"}) == set()
    assert "reference_version" in _tables_read(statements_sent)


def test_a_room_switched_off_by_another_process_ends_its_slots_at_once(small_salon):
    laser = small_salon["laser"].id
    assert free_slots([(laser, None)], at(MONDAY, 8), 1, 3)
    other = sqlite3.connect(database.obj.database)
    other.execute("UPDATE room SET active = 0 WHERE id = ?", (small_salon["room"].id,))
    other.commit()
    assert free_slots([(laser, None)], at(MONDAY, 8), 1, 3) == []
    other.execute("UPDATE room SET active = 1 WHERE id = ?", (small_salon["room"].id,))
    other.execute("UPDATE equipment SET active = 0 WHERE id = ?", (small_salon["laser_unit"].id,))
    other.commit()
    other.close()
    assert free_slots([(laser, None)], at(MONDAY, 8), 1, 3) == []


def test_a_day_off_set_after_a_search_is_honoured_by_the_next(small_salon, system):
    cut, olga = small_salon["cut"].id, small_salon["masters"][1].id
    found = free_slots([(cut, olga)], at(MONDAY, 8), 1, 3)
    assert found and found[0]["starts_at"] == at(MONDAY, 9)
    schedules.set_day(system, olga, MONDAY, [["15:00", "18:00"]])
    assert free_slots([(cut, olga)], at(MONDAY, 8), 1, 3)[0]["starts_at"] == at(MONDAY, 15)
