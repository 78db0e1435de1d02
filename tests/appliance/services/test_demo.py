"""The demo salon: a realistic, consistent box made only through the services, loaded once, sign-ins that work."""
import random
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import combinations

import phonenumbers
import pytest

from appliance.domain.booking_rules import CANCELLED, COMPLETED, CONFIRMED, HOLDING, NO_SHOW, REQUESTED
from appliance.services.auth import login
from appliance.services.context import SalonContext
from appliance.services.demo import load_demo
from appliance.services.demo_catalogue import SERVICES
from appliance.services.demo_clients import client_cards
from appliance.services.schedules import working_spans
from appliance.storage.database import database
from appliance.storage.migrate import upgrade
from appliance.storage.models.base import AuditLog, ChangeLog, utc_now
from appliance.storage.models.bookings import Booking, BookingItem, GroupAttendee, GroupEvent
from appliance.storage.models.catalogue import Equipment, Room, Salon, Service, ServiceCategory, Staff, StaffService
from appliance.storage.models.clients import Client
from appliance.storage.models.schedules import Absence, TimeBlock, WorkPattern

SEED = 2026
CYRILLIC = re.compile(r"^[А-ЯЁа-яё -]+$")
UZBEK_LATIN = re.compile(r"^[A-Za-zʻʼ -]+$")


@dataclass
class DemoBox:
    db: object
    passwords: dict
    loaded_at: datetime


@pytest.fixture(scope="module")
def demo_box(tmp_path_factory):
    """One migrated box with the demo loaded; loading takes seconds, so the module shares it."""
    from appliance.storage.database import open_database

    db = open_database(str(tmp_path_factory.mktemp("demo") / "box.sqlite3"))
    upgrade(db)
    loaded_at = utc_now()
    passwords = load_demo(seed=SEED)
    yield DemoBox(db, passwords, loaded_at)
    db.close()


@pytest.fixture
def box(demo_box):
    """The demo box, with the models bound to it again (other tests rebind the shared proxy)."""
    database.initialize(demo_box.db)
    return demo_box


def _holding_items():
    return list(BookingItem.select(BookingItem, Booking).join(Booking)
                .where(Booking.status.in_(HOLDING) & (BookingItem.active == True)))  # noqa: E712


def test_salon_is_in_tashkent_and_prices_in_sums(box):
    salon = Salon.get()
    assert (salon.timezone, salon.currency, salon.country) == ("Asia/Tashkent", "UZS", "UZ")
    assert salon.opening_hours == [[["09:00", "21:00"]]] * 7


def test_staff_rooms_and_equipment(box):
    masters = list(Staff.select().where(Staff.role == "master"))
    assert len(masters) == 6 and all(m.bookable for m in masters)
    assert {s.role for s in Staff.select()} == {"owner", "manager", "administrator", "master"}
    assert sorted(r.capacity for r in Room.select()) == [1, 2]
    assert Equipment.select().count() == 1
    for master in masters:
        skills = StaffService.select().where((StaffService.staff == master) & (StaffService.active == True))  # noqa: E712
        assert skills.count() >= 3
    own_terms = StaffService.select().where(StaffService.price.is_null(False) | StaffService.duration_min.is_null(False))
    assert own_terms.count() > 0


def test_catalogue_is_plausible(box):
    services = list(Service.select())
    assert 38 <= len(services) <= 46
    assert ServiceCategory.select().where(ServiceCategory.parent.is_null()).count() >= 4
    for service in services:
        assert Decimal(50_000) <= service.price <= Decimal(1_500_000), service.name
        assert service.price == service.price.to_integral_value()  # whole sums
        assert service.price_max is None or service.price_max > service.price
        assert re.search("[А-Яа-яё]", service.name), service.name
    laser = Equipment.get()
    assert any(s.price_max for s in services) and any(s.buffer_min for s in services)
    assert any(not s.bookable_online for s in services)
    assert {s.room_type for s in services if s.room_type} == {r.room_type for r in Room.select()}
    assert any(s.equipment_type == laser.equipment_type and s.room_type for s in services)


def test_schedules_mix_templates_shifts_absence_and_blocks(box):
    kinds = {p.kind for p in WorkPattern.select()}
    assert kinds == {"weekly", "cycle"}
    assert any(len(day) == 2 for p in WorkPattern.select() for day in p.days)  # a lunch break
    assert Absence.select().where(Absence.reason == "vacation").count() == 1
    blocks = list(TimeBlock.select())
    assert len(blocks) >= 2 and all(b.starts_at.tzinfo is not None for b in blocks)


def test_three_hundred_clients_with_unique_valid_phones(box):
    clients = list(Client.select().where(Client.active == True))  # noqa: E712
    assert len(clients) == 300
    phones = [c.phone for c in clients]
    assert len(set(phones)) == 300
    for phone in phones:
        assert re.fullmatch(r"\+(998\d{9}|79\d{9})", phone), phone
        assert phonenumbers.is_valid_number(phonenumbers.parse(phone))
    assert any(p.startswith("+7") for p in phones) and any(p.startswith("+998") for p in phones)
    names = [f"{c.first_name} {c.last_name}" for c in clients]
    assert all(CYRILLIC.match(n) or UZBEK_LATIN.match(n) for n in names)
    assert sum(bool(CYRILLIC.match(n)) for n in names) > 60
    assert sum("ʻ" in n for n in names) > 10  # oʻ and gʻ in Uzbek Latin
    assert any("VIP" in c.tags for c in clients) and any(c.birthday for c in clients)
    assert {c.source for c in clients} >= {"instagram", "friend", "walk-in", "2gis"}


def test_journal_spans_past_and_future(box):
    bookings = list(Booking.select())
    past = [b for b in bookings if b.ends_at <= box.loaded_at]
    future = [b for b in bookings if b.starts_at > box.loaded_at + timedelta(minutes=5)]
    assert len(past) > 50 and len(future) > 50
    assert all(b.starts_at >= box.loaded_at - timedelta(days=8) for b in bookings)
    assert {b.status for b in past} == {COMPLETED, CANCELLED, NO_SHOW}
    assert sum(b.status == COMPLETED for b in past) > 0.7 * len(past)
    assert all(b.status_reason for b in past if b.status in (CANCELLED, NO_SHOW))
    assert {b.status for b in future} <= {CONFIRMED, REQUESTED}
    assert REQUESTED in {b.status for b in future}


def test_multi_service_bookings_follow_each_other(box):
    by_booking = {}
    for item in BookingItem.select().where(BookingItem.active == True).order_by(BookingItem.position):  # noqa: E712
        by_booking.setdefault(item.booking_id, []).append(item)
    multi = [items for items in by_booking.values() if len(items) == 2]
    assert len(multi) >= 5
    assert all(first.ends_at == second.starts_at for first, second in multi)
    assert all(first.service_id != second.service_id for first, second in multi)


def test_men_are_not_booked_for_women_only_services(box):
    women_only = {name for _, _, name, *_, extras in SERVICES if extras.get("who", "f") == "f"}
    men_items = (BookingItem.select(BookingItem, Service).join(Service).switch(BookingItem).join(Booking)
                 .join(Client).where(Client.gender == "male"))
    assert men_items.count() > 0
    assert not [i.service.name for i in men_items if i.service.name in women_only]


def test_no_master_is_double_booked(box):
    per_master = {}
    for item in _holding_items():
        per_master.setdefault(item.master_id, []).append(item)
    for items in per_master.values():
        for a, b in combinations(items, 2):
            # One visit's items follow each other without the first one's clean-up.
            a_end, b_end = (a.ends_at, b.ends_at) if a.booking_id == b.booking_id else (a.busy_until, b.busy_until)
            assert not (a.starts_at < b_end and b.starts_at < a_end), (a.id, b.id)
    held = [(e.master_id, e.starts_at, e.busy_until) for e in GroupEvent.select()]
    held += [(t.staff_id, t.starts_at, t.ends_at) for t in TimeBlock.select().where(TimeBlock.staff.is_null(False))]
    for master_id, start, end in held:
        assert not any(i.starts_at < end and start < i.busy_until for i in per_master.get(master_id, []))


def test_masters_are_loaded_half_to_most_of_their_time(box):
    ctx = SalonContext.load()
    today = box.loaded_at.astimezone(ctx.tz).date()
    masters = [m.id for m in Staff.select().where(Staff.bookable == True)]  # noqa: E712
    spans = working_spans(masters, today - timedelta(days=7), today + timedelta(days=7), ctx)
    worked = sum((e - s).total_seconds() for v in spans.values() for s, e in v)
    booked = sum((i.ends_at - i.starts_at).total_seconds() for i in _holding_items() if i.master_id in masters)
    assert 0.45 <= booked / worked <= 0.85


def test_completed_visits_are_counted_on_cards(box):
    completed = {}
    for booking in Booking.select().where(Booking.status == COMPLETED):
        completed.setdefault(booking.client_id, []).append(booking.starts_at)
    assert completed
    for client_id, starts in completed.items():
        client = Client.get_by_id(client_id)
        assert client.visit_count >= len(starts)
        assert client.last_visit_at >= max(starts)
    for client in Client.select().where(Client.first_visit_at.is_null(False)):
        assert client.first_visit_at.date() >= client.joined_on


def test_group_class_and_recurring_series(box):
    event = GroupEvent.get()
    assert 1 <= GroupAttendee.select().where(GroupAttendee.event == event).count() <= event.capacity
    series = Booking.select().where(Booking.series.is_null(False))
    assert series.count() >= 2


def test_demo_passwords_sign_in(box):
    assert set(box.passwords) >= {"owner", "manager", "admin", "master1", "master6"}
    assert len(set(box.passwords.values())) == len(box.passwords)
    for username, password in box.passwords.items():
        staff, token = login(username, password, timedelta(hours=1))
        assert staff.username == username and token.token


def test_second_load_changes_nothing(box):
    before = (ChangeLog.select().count(), AuditLog.select().count(), Client.select().count())
    assert load_demo(seed=SEED) is None
    assert load_demo(seed=SEED + 1) is None
    assert (ChangeLog.select().count(), AuditLog.select().count(), Client.select().count()) == before


def test_existing_salon_is_left_alone(salon):
    assert load_demo(seed=SEED) is None
    assert Staff.select().count() == 0 and Client.select().count() == 0 and Service.select().count() == 0


def test_same_seed_gives_same_clients():
    today = date(2026, 3, 1)
    first, again = client_cards(random.Random(7), today), client_cards(random.Random(7), today)
    assert first == again
    assert client_cards(random.Random(8), today) != first
