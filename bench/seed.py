"""Seed a fresh box for the booking bench: salon, catalogue, 30 masters, clients, 5,000 bookings.

Everything goes through the real service layer (set_up, create_service,
create_staff, set_skills, create_pattern, create_client, create_booking), so
the rows, indexes, change log and audit log look exactly like a box in use.
"""
import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime, time as wall, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

TZ_NAME = "Asia/Tashkent"
TZ = ZoneInfo(TZ_NAME)
OPEN, CLOSE = wall(9), wall(21)
WEEK_9_TO_21 = [[["09:00", "21:00"]]] * 7

# name, duration, clean-up buffer, price (UZS), share of the seeded bookings.
# The measured service is the first one. The mix averages about 49 minutes
# of occupied time (service + buffer) per booking.
SERVICES = [
    ("Women's haircut", 60, 10, 150_000, 0.30),
    ("Manicure", 45, 5, 120_000, 0.20),
    ("Blow-dry styling", 30, 0, 80_000, 0.25),
    ("Brow shaping", 20, 5, 60_000, 0.20),
    ("Colouring", 90, 15, 400_000, 0.05),
]
# No master's 12-hour day can hold it: the slot search must walk every day.
UNFITTABLE = ("Bridal package (13 h)", 780, 0, 2_000_000)


@dataclass
class Seeded:
    """What the bench needs to know about the seeded box."""

    data_dir: str
    first_day: date  # first local day with seeded bookings
    days: int
    service_id: str  # the measured service
    service_minutes: int  # its duration + buffer
    unfittable_id: str
    masters: list = field(default_factory=list)  # master ids in display order
    clients: list = field(default_factory=list)
    token: str = ""
    bookings: int = 0
    rejected: int = 0
    occupancy: float = 0.0  # occupied share of the masters' working time over the seeded days
    timings: dict = field(default_factory=dict)


def local(day: date, at: wall) -> datetime:
    """Aware datetime of a salon wall-clock time."""
    return datetime.combine(day, at, tzinfo=TZ)


def _day_plan(rng: random.Random, services, weights) -> list[tuple[int, int, int]]:
    """Back-to-back candidate bookings for one master-day: (service index, start minute, occupied minutes)."""
    plan, cursor = [], OPEN.hour * 60
    close = CLOSE.hour * 60
    while True:
        index = rng.choices(range(len(services)), weights)[0]
        _, duration, buffer, _, _ = services[index]
        if cursor + duration > close:
            # Nothing of this length fits any more; try the shortest once, then stop.
            index = min(range(len(services)), key=lambda i: services[i][1])
            _, duration, buffer, _, _ = services[index]
            if cursor + duration > close:
                return plan
        plan.append((index, cursor, duration + buffer))
        cursor += duration + buffer


def seed(data_dir: str, bookings: int = 5000, masters: int = 30, days: int = 14, clients: int = 300,
         rng_seed: int = 20260101) -> Seeded:
    """Fill an empty box at ``data_dir``; the database stays open (connected) for the caller."""
    from appliance.app import create_app
    from appliance.services import catalogue, schedules
    from appliance.services import salon as salon_service
    from appliance.services.auth import issue_token
    from appliance.services.bookings import create_booking
    from appliance.services.clients import create_client
    from appliance.services.context import Actor
    from appliance.services.errors import Conflict
    from appliance.services.staff import create_staff, set_skills
    from appliance.storage.database import database
    from appliance.storage.migrate import upgrade

    rng = random.Random(rng_seed)
    timings = {}
    began = time.perf_counter()
    create_app({"DATA_DIR": data_dir, "LOG_LEVEL": "WARNING"})
    database.connect(reuse_if_open=True)
    upgrade(database.obj)
    system = Actor.system()
    salon_service.set_up(system, {"name": "Bench salon", "timezone": TZ_NAME, "currency": "UZS",
                                  "country": "UZ", "opening_hours": WEEK_9_TO_21})
    category = catalogue.create_category(system, {"name": "Hair & nails"})
    services = []
    for name, duration, buffer, price, _ in SERVICES:
        services.append(catalogue.create_service(system, {
            "category_id": category.id, "name": name, "duration_min": duration, "buffer_min": buffer,
            "price": Decimal(price)}))
    name, duration, buffer, price = UNFITTABLE
    unfittable = catalogue.create_service(system, {"category_id": category.id, "name": name,
                                                   "duration_min": duration, "buffer_min": buffer,
                                                   "price": Decimal(price)})
    today = datetime.now(TZ).date()
    first_day = today + timedelta(days=1)
    staff = []
    for i in range(masters):
        master = create_staff(system, {"first_name": f"Master{i:02d}", "last_name": "Bench", "role": "master",
                                       "bookable": True, "sort_order": i})
        set_skills(system, master.id, [{"service_id": s.id} for s in [*services, unfittable]])
        schedules.create_pattern(system, master.id, {"kind": "weekly", "days": WEEK_9_TO_21,
                                                     "valid_from": today - timedelta(days=30)})
        staff.append(master)
    owner = create_staff(system, {"first_name": "Bench", "role": "owner", "username": "bench-owner"})
    token = issue_token(owner, timedelta(hours=6)).token
    people = []
    for i in range(clients):
        people.append(create_client(system, {"first_name": f"Client{i:03d}", "last_name": "Bench",
                                             "phone": f"+99890{1_000_000 + i:07d}"}).id)
    timings["setup_s"] = time.perf_counter() - began

    # Candidate bookings: every master-day filled back to back with the mix,
    # then a random subset of exactly ``bookings`` kept, so the free time is
    # scattered through the day the way cancellations and no-shows leave it.
    weights = [s[4] for s in SERVICES]
    candidates = []
    for day_offset in range(days):
        day = first_day + timedelta(days=day_offset)
        for master in staff:
            for index, minute, occupied in _day_plan(rng, SERVICES, weights):
                candidates.append((day, minute, master.id, services[index].id, occupied))
    if len(candidates) < bookings:
        raise RuntimeError(f"only {len(candidates)} candidate bookings fit; lower the count")
    chosen = rng.sample(candidates, bookings)
    chosen.sort(key=lambda c: (c[0], c[1]))
    began = time.perf_counter()
    made = rejected = occupied_minutes = 0
    for day, minute, master_id, service_id, occupied in chosen:
        starts = local(day, wall(minute // 60, minute % 60))
        try:
            create_booking(system, {"client_id": rng.choice(people), "starts_at": starts,
                                    "items": [{"service_id": service_id, "master_id": master_id}]})
            made += 1
            occupied_minutes += occupied
        except Conflict:
            rejected += 1
    timings["bookings_s"] = time.perf_counter() - began
    working_minutes = masters * days * (CLOSE.hour - OPEN.hour) * 60
    return Seeded(data_dir=data_dir, first_day=first_day, days=days, service_id=services[0].id,
                  service_minutes=SERVICES[0][1] + SERVICES[0][2], unfittable_id=unfittable.id,
                  masters=[m.id for m in staff], clients=people, token=token, bookings=made,
                  rejected=rejected, occupancy=occupied_minutes / working_minutes, timings=timings)
