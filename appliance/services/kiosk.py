"""The kiosk's use cases (KI1, KI2): find today's visit, confirm arrival, walk in, a master's day.

A kiosk is a public screen: what it shows of a client is a first name and the
visit itself, never a surname or a phone number, and it only ever deals with
today in the salon's zone.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from appliance.domain import booking_rules as rules
from appliance.domain.phones import PhoneError, normalise_phone
from appliance.domain.wallclock import day_bounds, to_local
from appliance.services.availability import free_slots
from appliance.services.bookings import create_booking, set_status
from appliance.services.clients import create_client
from appliance.services.context import Actor, SalonContext
from appliance.services.errors import Conflict, InvalidInput, NotFound
from appliance.storage.models.base import utc_now
from appliance.storage.models.bookings import Booking, BookingItem
from appliance.storage.models.catalogue import Service, Staff
from appliance.storage.models.clients import Client
from appliance.storage.models.time_clock import CardTap

# Statuses a client can still confirm arrival from.
ARRIVABLE = (rules.REQUESTED, rules.CONFIRMED)
# A visit can be checked in from this long before it starts until it ends.
EARLIEST_CHECK_IN = timedelta(hours=3)
WALK_IN_SLOTS = 3
# A tap is answered on screen only this soon after it: nobody browses old taps at a kiosk.
TAP_WINDOW = timedelta(minutes=2)


@dataclass(frozen=True)
class KioskVisit:
    """Today's visit as the kiosk may show it."""

    booking_id: str
    first_name: str
    starts_at: datetime  # salon wall-clock
    services: list[str]
    masters: list[str]
    status: str

    @property
    def can_arrive(self) -> bool:
        """True while the client may still confirm arrival."""
        return self.status in ARRIVABLE


def _today(ctx: SalonContext, now: datetime) -> tuple[datetime, datetime]:
    return day_bounds(to_local(now, ctx.tz).date(), ctx.tz)


def _visit(booking: Booking, ctx: SalonContext) -> KioskVisit:
    items = (BookingItem.select(BookingItem, Service, Staff).join(Service).switch(BookingItem)
             .join(Staff, on=(BookingItem.master == Staff.id))
             .where((BookingItem.booking == booking) & (BookingItem.active == True))  # noqa: E712
             .order_by(BookingItem.position))
    return KioskVisit(booking.id, booking.client.first_name, to_local(booking.starts_at, ctx.tz),
                      [i.service.name for i in items], list(dict.fromkeys(i.master.first_name for i in items)),
                      booking.status)


def _todays(condition, ctx: SalonContext, now: datetime) -> list[KioskVisit]:
    start, end = _today(ctx, now)
    rows = (Booking.select(Booking, Client).join(Client)
            .where(condition & (Booking.starts_at >= start) & (Booking.starts_at < end)
                   & Booking.status.not_in((rules.CANCELLED, rules.NO_SHOW)))
            .order_by(Booking.starts_at))
    return [_visit(b, ctx) for b in rows]


def visits_by_phone(raw_phone: str, now: datetime | None = None) -> list[KioskVisit]:
    """Today's visits of the client with this phone (empty if none: the kiosk says nothing more)."""
    ctx = SalonContext.load()
    try:
        phone = normalise_phone(raw_phone, ctx.region)
    except PhoneError as exc:
        raise InvalidInput("phone", str(exc)) from None
    return _todays((Client.phone == phone) & (Client.active == True), ctx, now or utc_now())  # noqa: E712


def visits_by_code(raw_code: str, now: datetime | None = None) -> list[KioskVisit]:
    """Today's visit with this booking code; the code may come inside a scanned QR text."""
    code = booking_code_of(raw_code)
    return _todays(Booking.code == code, SalonContext.load(), now or utc_now())


def booking_code_of(scanned: str) -> str:
    """The six-digit booking code in typed or scanned text ("SALON:123456", a URL, "123 456")."""
    digits = [ch for ch in scanned if ch.isdigit()]
    tail = "".join(digits[-6:])
    if len(tail) != 6:
        raise InvalidInput("code", "a booking code has six digits")
    return tail


def visits_of_client(client_id: str, now: datetime | None = None) -> list[KioskVisit]:
    """Today's visits of one client (after a loyalty-card tap)."""
    return _todays(Booking.client == client_id, SalonContext.load(), now or utc_now())


def confirm_arrival(actor: Actor, booking_id: str, now: datetime | None = None) -> KioskVisit:
    """Mark today's visit arrived; refuses another day's booking or one already done."""
    ctx, now = SalonContext.load(), now or utc_now()
    booking = Booking.get_or_none(Booking.id == booking_id)
    start, end = _today(ctx, now)
    if booking is None or not start <= booking.starts_at < end:
        raise NotFound("booking", booking_id)
    if booking.status == rules.ARRIVED:
        return _visit(booking, ctx)
    if booking.status not in ARRIVABLE:
        raise Conflict(f"a {booking.status} booking cannot be checked in", code="status_transition")
    if booking.starts_at - now > EARLIEST_CHECK_IN or booking.ends_at < now:
        raise Conflict("this visit is not now", code="not_now")
    set_status(actor, booking.id, rules.ARRIVED)
    return _visit(Booking.get_by_id(booking.id), ctx)


def walk_in_services() -> list[Service]:
    """Services a walk-in can choose at the kiosk: active, offered to clients online."""
    return list(Service.select().where((Service.active == True) & (Service.bookable_online == True))  # noqa: E712
                .order_by(Service.sort_order, Service.name))


def walk_in_slots(service_id: str, now: datetime | None = None) -> list[dict]:
    """The nearest free starts today for a service, any master."""
    service = Service.get_or_none((Service.id == service_id) & (Service.active == True))  # noqa: E712
    if service is None:
        raise InvalidInput("service_id", "no such service")
    now = now or utc_now()
    ctx = SalonContext.load()
    _, end = _today(ctx, now)
    return [s for s in free_slots([(service.id, None)], now, 1, WALK_IN_SLOTS)
            if s["starts_at"] < end]


def book_walk_in(actor: Actor, data: dict, now: datetime | None = None) -> KioskVisit:
    """Book a walk-in into a slot the kiosk offered, as arrived; finds or creates the client by phone."""
    ctx, now = SalonContext.load(), now or utc_now()
    start, end = _today(ctx, now)
    # The kiosk only offers today's nearest times; anything else is not a walk-in.
    if data["starts_at"].tzinfo is None or not (start <= data["starts_at"] < end) or data["starts_at"] < now - timedelta(minutes=ctx.salon.slot_step_min):
        raise InvalidInput("starts_at", "a walk-in starts today, from now on")
    client = _walk_in_client(actor, data.get("phone") or "", (data.get("first_name") or "").strip(), ctx)
    booking = create_booking(actor, {
        "client_id": client.id, "status": rules.ARRIVED, "source": "kiosk", "starts_at": data["starts_at"],
        "items": [{"service_id": data["service_id"], "master_id": data["master_id"]}]})
    return _visit(Booking.get_by_id(booking.id), ctx)


def _walk_in_client(actor: Actor, raw_phone: str, first_name: str, ctx: SalonContext) -> Client:
    try:
        phone = normalise_phone(raw_phone, ctx.region)
    except PhoneError as exc:
        raise InvalidInput("phone", str(exc)) from None
    known = Client.get_or_none((Client.phone == phone) & (Client.active == True))  # noqa: E712
    if known is not None:
        return known
    if not first_name:
        raise InvalidInput("first_name", "is required for a new client")
    return create_client(actor, {"first_name": first_name, "phone": phone, "source": "kiosk"})


@dataclass(frozen=True)
class DayItem:
    """One service in a master's day, as the kiosk shows it after a card tap."""

    starts_at: datetime
    ends_at: datetime
    service: str
    client_first_name: str
    status: str


def master_day(staff_id: str, now: datetime | None = None) -> list[DayItem]:
    """The master's services today in the salon's zone, in order."""
    ctx, now = SalonContext.load(), now or utc_now()
    start, end = _today(ctx, now)
    rows = (BookingItem.select(BookingItem, Booking, Service, Client)
            .join(Booking).join(Client).switch(BookingItem).join(Service)
            .where((BookingItem.master == staff_id) & (BookingItem.active == True)  # noqa: E712
                   & (BookingItem.starts_at >= start) & (BookingItem.starts_at < end)
                   & Booking.status.not_in((rules.CANCELLED, rules.NO_SHOW)))
            .order_by(BookingItem.starts_at))
    return [DayItem(to_local(i.starts_at, ctx.tz), to_local(i.ends_at, ctx.tz), i.service.name,
                    i.booking.client.first_name, i.booking.status) for i in rows]


def _at_reader(reader: str):
    return CardTap.reader == reader if reader else True


def latest_tap_id(reader: str) -> int:
    """The newest tap at ``reader`` ("" = any), so a page just loaded answers only later ones."""
    newest = CardTap.select(CardTap.id).where(_at_reader(reader)).order_by(CardTap.id.desc()).first()
    return newest.id if newest else 0


def taps_after(reader: str, after_id: int, now: datetime | None = None) -> list[CardTap]:
    """Fresh taps at ``reader`` after ``after_id``, oldest first."""
    since = (now or utc_now()) - TAP_WINDOW
    return list(CardTap.select().where(_at_reader(reader) & (CardTap.id > after_id) & (CardTap.at >= since))
                .order_by(CardTap.id).limit(20))


def recent_tap(tap_id: int, reader: str, now: datetime | None = None) -> CardTap | None:
    """The tap if it is fresh and was made at this kiosk's reader, else None."""
    tap = CardTap.get_or_none((CardTap.id == tap_id) & _at_reader(reader))
    if tap is None or (now or utc_now()) - tap.at > TAP_WINDOW:
        return None
    return tap
