"""Demo journal: two weeks of bookings around now, made through the booking engine like real ones.

Masters' working time is walked slot by slot; at each free slot a booking is
tried with a per-day probability, so masters end up loaded about 50-80%.
Whatever the engine refuses (a clash, a block, hours) is simply skipped.
"""
import random
from bisect import insort
from itertools import accumulate
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from appliance.domain import booking_rules as rules
from appliance.services import demo_names as names
from appliance.services.bookings import active_items, create_booking, set_status
from appliance.services.calendar import occupations
from appliance.services.context import Actor, SalonContext
from appliance.services.demo_catalogue import Catalogue
from appliance.services.errors import Conflict
from appliance.services.schedules import working_spans
from appliance.storage.models.bookings import Booking
from appliance.storage.models.catalogue import Service, StaffService

SLOT = timedelta(minutes=15)  # the salon's slot step: bookings start on the quarter hour
DAYS_AROUND = 7
LOAD_RANGE = (0.5, 0.9)  # chance, per master and day, of booking a free slot
SECOND_ITEM_SHARE = 0.15
SOURCES = [("admin", 35), ("phone", 30), ("online", 20), ("messenger", 12), ("kiosk", 3)]
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def ceil_slot(moment: datetime) -> datetime:
    """``moment`` rounded up to the slot grid (UTC; Tashkent's whole-hour offset keeps it local too)."""
    step = SLOT.total_seconds()
    seconds = (moment - _EPOCH).total_seconds()
    return _EPOCH + timedelta(seconds=-(-seconds // step) * step)


@dataclass
class Journal:
    """The fill's inputs and its running state: masters' skills and busy time, clients' booked days."""

    actor: Actor
    rng: random.Random
    ctx: SalonContext
    now: datetime
    cat: Catalogue
    clients: list  # (client id, sex)
    skills: dict = field(default_factory=dict)  # master id -> [(Service, minutes)]
    busy: dict = field(default_factory=dict)  # master id -> sorted [(start, busy_until)]
    booked_days: set = field(default_factory=set)  # (client id, local date)
    cum_weights: list = field(default_factory=list)

    def __post_init__(self):
        # A fifth of the base never comes (potential clients); the first two fifths are regulars.
        count = len(self.clients)
        weights = [4 if i < count * 0.4 else 1 if i < count * 0.8 else 0 for i in range(count)]
        self.cum_weights = list(accumulate(weights))

    def pick_client(self, sex: str | None, day: date) -> tuple[str, str] | None:
        """(id, sex) of a client of ``sex`` (any if None) not yet booked on ``day``, regulars more often."""
        for _ in range(20):
            client_id, client_sex = self.rng.choices(self.clients, cum_weights=self.cum_weights)[0]
            if (sex is None or client_sex == sex) and (client_id, day) not in self.booked_days:
                self.booked_days.add((client_id, day))
                return client_id, client_sex
        return None


def load_skills(journal: Journal, master_ids: list[str]) -> None:
    """Read each master's bookable skills with their own durations."""
    for master_id in master_ids:
        rows = (StaffService.select(StaffService, Service).join(Service)
                .where((StaffService.staff == master_id) & (StaffService.active == True)))  # noqa: E712
        journal.skills[master_id] = [(r.service, r.duration_min or r.service.duration_min) for r in rows
                                     if r.service.id not in journal.cat.group_only]


def _sex_for(journal: Journal, service: Service) -> str | None:
    who = journal.cat.who[service.id]
    return None if who == "*" else who


def _fitting(journal: Journal, master_id: str, start: datetime, end: datetime, limit: datetime, sex=None):
    """Skills that end by ``end`` (working time) with their clean-up done by ``limit`` (next booking)."""
    return [(s, m) for s, m in journal.skills[master_id]
            if start + timedelta(minutes=m) <= end and start + timedelta(minutes=m + s.buffer_min) <= limit
            and (sex is None or journal.cat.who[s.id] in (sex, "*"))]


def _second_item(journal: Journal, master_id: str, first: Service, sex: str, start: datetime) -> dict | None:
    """Now and then another service right after the first: same master, or a colleague."""
    rng = journal.rng
    if rng.random() > SECOND_ITEM_SHARE:
        return None
    other = rng.choice([m for m in journal.skills if m != master_id]) if rng.random() < 0.5 else master_id
    # The engine checks hours and clashes; here only a plausible length is chosen.
    options = [(s, m) for s, m in _fitting(journal, other, start, start + timedelta(hours=2),
                                           start + timedelta(hours=3), sex) if s.id != first.id]
    if not options:
        return None
    return {"service_id": rng.choice(options)[0].id, "master_id": other}


def _source(journal: Journal, booking: dict, status: str) -> str:
    offline = {s.id for s in journal.cat.services.values() if not s.bookable_online}
    online = not any(i["service_id"] in offline for i in booking["items"])
    if status == rules.REQUESTED:
        return "online" if online else "messenger"  # unconfirmed requests come in unattended
    source = journal.rng.choices([s for s, _ in SOURCES], weights=[w for _, w in SOURCES])[0]
    return "phone" if source == "online" and not online else source


def _settle(journal: Journal, booking: Booking) -> None:
    """Give a past booking its outcome, and one under way now its arrival."""
    actor, rng = journal.actor, journal.rng
    if booking.ends_at <= journal.now:
        roll = rng.random()
        if roll < 0.09:
            set_status(actor, booking.id, rules.CANCELLED, rng.choice(names.CANCEL_REASONS))
        elif roll < 0.15:
            set_status(actor, booking.id, rules.NO_SHOW, rng.choice(names.NO_SHOW_REASONS))
        else:
            set_status(actor, booking.id, rules.ARRIVED)
            set_status(actor, booking.id, rules.COMPLETED)  # counts the visit on the client's card
    elif booking.starts_at <= journal.now:
        set_status(actor, booking.id, rules.ARRIVED)
        set_status(actor, booking.id, rules.IN_SERVICE)


def _book(journal: Journal, master_id: str, start: datetime, items: list[dict], client_id: str) -> Booking | None:
    status = rules.CONFIRMED if start <= journal.now or journal.rng.random() < 0.8 else rules.REQUESTED
    data = {"client_id": client_id, "starts_at": start, "items": items, "status": status}
    data["source"] = _source(journal, data, status)
    if journal.rng.random() < 0.12:
        data["comment"] = journal.rng.choice(names.BOOKING_COMMENTS)
    try:
        booking = create_booking(journal.actor, data)
    except Conflict:
        return None
    _settle(journal, booking)
    booking = Booking.get_by_id(booking.id)
    if booking.status in rules.HOLDING:
        for item in active_items(booking):
            insort(journal.busy[item.master_id], (item.starts_at, item.busy_until))
    return booking


def _try_slot(journal: Journal, master_id: str, start: datetime, end: datetime, limit: datetime):
    """Try one booking at ``start``; returns when the master is free again, or None if nothing fit."""
    options = _fitting(journal, master_id, start, end, limit)
    if not options:
        return None
    service, minutes = journal.rng.choice(options)
    client = journal.pick_client(_sex_for(journal, service), start.astimezone(journal.ctx.tz).date())
    if client is None:
        return None
    client_id, sex = client
    first = {"service_id": service.id, "master_id": master_id}
    second = _second_item(journal, master_id, service, sex, start + timedelta(minutes=minutes))
    for items in ([first, second], [first]) if second else ([first],):
        if _book(journal, master_id, start, items, client_id) is not None:
            return start + timedelta(minutes=minutes + service.buffer_min)
    return None


def _next_busy(busy: list, cursor: datetime) -> tuple[datetime, datetime | None]:
    """Move ``cursor`` past busy time it falls in; also the start of the next busy period."""
    for start, end in busy:
        if start <= cursor < end:
            cursor = ceil_slot(end)
        elif start > cursor:
            return cursor, start
    return cursor, None


def _fill_span(journal: Journal, master_id: str, start: datetime, end: datetime, load: float) -> None:
    cursor = ceil_slot(start)
    while cursor + SLOT <= end:
        cursor, next_busy = _next_busy(journal.busy[master_id], cursor)
        if cursor + SLOT > end:
            return
        if journal.rng.random() > load:
            cursor += SLOT * journal.rng.choice((1, 2, 2, 3, 4))  # an idle gap
            continue
        free_until = _try_slot(journal, master_id, cursor, end, next_busy or end + timedelta(hours=1))
        cursor = ceil_slot(free_until) if free_until else cursor + SLOT


def fill_journal(journal: Journal) -> None:
    """Book each master's working time from a week back to a week ahead, day by day."""
    today = journal.now.astimezone(journal.ctx.tz).date()
    first, last = today - timedelta(days=DAYS_AROUND), today + timedelta(days=DAYS_AROUND)
    masters = list(journal.skills)
    spans = working_spans(masters, first, last, journal.ctx)
    window = (min((s for v in spans.values() for s, _ in v), default=journal.now),
              max((e for v in spans.values() for _, e in v), default=journal.now))
    for master_id in masters:
        # What is already placed (the class, the series, blocks) is worked around from the start.
        journal.busy[master_id] = sorted((s, e) for *_, s, e in occupations(*window, master=[master_id]))
    day = first
    while day <= last:
        for master_id in masters:
            load = journal.rng.uniform(*LOAD_RANGE)
            for start, end in spans[master_id]:
                if start.astimezone(journal.ctx.tz).date() == day:
                    _fill_span(journal, master_id, start, end, load)
        day += timedelta(days=1)
