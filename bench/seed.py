"""Seed a fresh box for the booking bench: salon, catalogue, 30 masters, clients, 5,000 bookings.

Everything goes through the real service layer (set_up, create_service,
create_staff, set_skills, create_pattern, create_client, create_booking), so
the rows, indexes, change log and audit log look exactly like a box in use.
"""
import json
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
    service_duration: int  # its length in minutes
    service_minutes: int  # its length + clean-up buffer
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
                  service_duration=SERVICES[0][1], service_minutes=SERVICES[0][1] + SERVICES[0][2], unfittable_id=unfittable.id,
                  masters=[m.id for m in staff], clients=people, token=token, bookings=made,
                  rejected=rejected, occupancy=occupied_minutes / working_minutes, timings=timings)


def add_history(data_dir: str, days: int, seeded_days: int = 14) -> tuple[int, float]:
    """Copy the seeded bookings into the past, ``days`` back, as completed visits: (items added, seconds).

    Bulk SQL, not the service layer (no change log, no audit rows): the point
    is only the size of the booking tables that every availability query and
    conflict check reads, as on a box that has been in use for a while.
    """
    import sqlite3
    from pathlib import Path

    from appliance.domain.ids import new_id

    began = time.perf_counter()
    db = sqlite3.connect(str(Path(data_dir) / "box.sqlite3"))
    rng = random.Random(99)
    booking_cols = [r[1] for r in db.execute("PRAGMA table_info(booking)")]
    item_cols = [r[1] for r in db.execute("PRAGMA table_info(booking_item)")]
    bookings = db.execute("SELECT * FROM booking").fetchall()
    items = {row[item_cols.index("booking_id")]: row for row in db.execute("SELECT * FROM booking_item")}
    stamp = "%Y-%m-%d %H:%M:%S.%f"

    def shifted(text, delta):
        return (datetime.strptime(text, stamp) - delta).strftime(stamp)

    added = 0
    with db:
        for block in range(1, -(-days // seeded_days) + 1):
            delta = timedelta(days=seeded_days * block)
            new_bookings, new_items = [], []
            for row in bookings:
                booking = list(row)
                booking[0] = new_id()
                booking[booking_cols.index("code")] = f"{rng.randrange(100000, 1000000)}"
                booking[booking_cols.index("status")] = "completed"
                for name in ("starts_at", "ends_at"):
                    booking[booking_cols.index(name)] = shifted(booking[booking_cols.index(name)], delta)
                item = list(items[row[0]])
                item[0] = new_id()
                item[item_cols.index("booking_id")] = booking[0]
                for name in ("starts_at", "ends_at", "busy_until"):
                    item[item_cols.index(name)] = shifted(item[item_cols.index(name)], delta)
                new_bookings.append(booking)
                new_items.append(item)
            db.executemany(f"INSERT INTO booking VALUES ({','.join('?' * len(booking_cols))})", new_bookings)
            db.executemany(f"INSERT INTO booking_item VALUES ({','.join('?' * len(item_cols))})", new_items)
            added += len(new_items)
    db.close()
    return added, time.perf_counter() - began


def booking_payloads(seeded: Seeded, clients: int, per_client: int) -> tuple[list[list[bytes]], str, object]:
    """Distinct, free master/time pairs on days after the seeded ones, dealt round-robin to clients.

    Returns the bodies per client, a description, and the last day used.
    """
    step = seeded.service_minutes  # duration + buffer: back to back, never overlapping
    starts = []
    minute = OPEN.hour * 60
    while minute + seeded.service_duration <= CLOSE.hour * 60:
        starts.append(minute)
        minute += step
    per_day = len(starts) * len(seeded.masters)
    needed = clients * per_client
    days = -(-needed // per_day)
    first = seeded.first_day + timedelta(days=seeded.days + 1)
    dealt = [[] for _ in range(clients)]
    i = 0
    for d in range(days):
        day = first + timedelta(days=d)
        for minute in starts:
            at = datetime.combine(day, wall(minute // 60, minute % 60), tzinfo=TZ).isoformat()
            for master in seeded.masters:
                if i >= needed:
                    break
                client = seeded.clients[i % len(seeded.clients)]
                dealt[i % clients].append(json.dumps({
                    "client_id": client, "starts_at": at,
                    "items": [{"service_id": seeded.service_id, "master_id": master}]}).encode())
                i += 1
    last = first + timedelta(days=days - 1)
    return dealt, f"{first} .. {last}, {len(starts)} starts/master/day", last
