"""The booking engine: create, move, edit and change status without ever double-booking (BK3, BK7, BK8)."""
import secrets
from dataclasses import dataclass

from appliance.domain import booking_rules as rules
from appliance.services.audit import audit_statement
from appliance.services.booking_plan import PlannedItem, assign_and_check, outside_hours, plan_items
from appliance.services.clients import record_visit
from appliance.services.context import Actor, SalonContext
from appliance.services.errors import Conflict, InvalidInput
from appliance.services.lookup import fetch
from appliance.services.reference_rows import ReferenceRows
from appliance.storage import statements
from appliance.storage.database import database, read_snapshot, write_together, write_transaction
from appliance.storage.models.base import utc_now
from appliance.storage.models.bookings import Booking, BookingEvent, BookingItem
from appliance.storage.models.clients import Client

CREATABLE_STATUSES = (rules.REQUESTED, rules.CONFIRMED, rules.ARRIVED)


_CODE_IN_USE = ("SELECT 1 FROM booking WHERE code = ? AND status NOT IN ({}) LIMIT 1"
                .format(", ".join("?" for _ in rules.FINAL)))


def _new_code() -> str:
    """A six-digit code no open booking holds (the kiosk and the phone use it)."""
    for _ in range(50):
        code = _code_candidate()
        if not _code_in_use(code):
            return code
    raise RuntimeError("no free booking code")


def _code_candidate() -> str:
    return f"{secrets.randbelow(900000) + 100000}"


def _code_in_use(code: str) -> bool:
    return database.execute_sql(_CODE_IN_USE, [code, *rules.FINAL]).fetchone() is not None


@dataclass(frozen=True)
class BookingPlan:
    """What a new booking needs read before its write: checked input, client, items, hours."""

    data: dict
    status: str
    ctx: SalonContext
    client: Client
    planned: list
    hours: dict


def plan_booking(data: dict, refs: ReferenceRows) -> BookingPlan:
    """Check and place a new booking's items (its reads may share the caller's read snapshot).

    ``create_booking(plan=...)`` then writes it, checking the clashes again under the write lock.
    """
    status = data.get("status") or rules.CONFIRMED
    if status not in CREATABLE_STATUSES:
        raise InvalidInput("status", f"a new booking is one of {', '.join(CREATABLE_STATUSES)}")
    ctx = refs.salon_context()
    client = fetch(Client, data["client_id"], field="client_id", active_only=True)
    planned = plan_items(data["items"], data["starts_at"], refs=refs)
    hours = {} if data.get("allow_outside_hours") else outside_hours(ctx, planned, refs)
    return BookingPlan(data, status, ctx, client, planned, hours)


def create_booking(actor: Actor, data: dict | None = None, series_id: str | None = None,
                   plan: BookingPlan | None = None) -> Booking:
    """Book one or more services in sequence for a client; Conflict if anything is taken.

    The booking comes back with ``written_items``: its items as just written.
    ``plan``: made by ``plan_booking`` (else it is made here, as the API makes it: no read
    snapshot around its few reads, see ``routes_bookings.create_booking``).
    """
    if plan is None:
        plan = plan_booking(data, ReferenceRows.current())
    placed = _placement(plan.planned)
    prepared = _booking_writes(actor, plan, series_id, _code_candidate())

    def write():
        booking, writes = prepared
        assign_and_check(plan.ctx, plan.planned, hours=plan.hours)
        if _placement(plan.planned) != placed or _code_in_use(booking.code):
            # A room or equipment was picked under the lock, or the code was taken meanwhile.
            booking, writes = _booking_writes(actor, plan, series_id, _new_code())
        writes.run()
        return booking

    return write_together(write)


def _placement(planned: list[PlannedItem]) -> list[tuple]:
    return [(p.room_id, p.equipment_id) for p in planned]


def _booking_writes(actor: Actor, plan: BookingPlan, series_id: str | None, code: str):
    """The new booking, its items and history as rows, and their INSERTs (built before the write turn)."""
    data, planned, writes, now = plan.data, plan.planned, statements.PreparedWrites(), utc_now()
    booking = Booking.prepare_create(
        writes, now, code=code, client=plan.client, status=plan.status, source=data.get("source") or "admin",
        comment=data.get("comment") or "", series=series_id, starts_at=planned[0].starts_at,
        ends_at=planned[-1].ends_at, total=sum(p.price for p in planned), created_by=actor.id,
        created_by_kind=actor.kind)
    booking.written_items = [BookingItem.prepare_create(writes, now, booking=booking, **_item_values(p))
                             for p in planned]
    # No stored "created" entry in the history: the row says who and when, and history() shows it
    # (a synced row with two indexes and an outbox entry was 8 % of a booking's instructions).
    writes.add(audit_statement(actor, "booking.created", "booking", booking.id,
                               {"from": None, "to": plan.status, "items": _items_summary(planned)}, at=now))
    return booking, writes


def _item_values(p: PlannedItem) -> dict:
    return dict(position=p.index, service=p.service, master=p.master, room=p.room_id, equipment=p.equipment_id,
                starts_at=p.starts_at, ends_at=p.ends_at, busy_until=p.busy_until, price=p.price, active=True)


def _write_items(booking: Booking, planned: list[PlannedItem]) -> list[BookingItem]:
    """Insert or update the planned items, deactivate the dropped ones; the active items in order."""
    existing = {i.id: i for i in BookingItem.select().where(BookingItem.booking == booking)}
    kept, written = set(), []
    for p in planned:
        values = _item_values(p)
        row = existing.get(p.item_id) if p.item_id else None
        if row is None:
            row = BookingItem.create(booking=booking, **values)
        else:
            kept.add(row.id)
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
        written.append(row)
    for row in existing.values():
        if row.active and row.id not in kept:
            row.active = False
            row.save()
    return written


def _items_summary(items) -> list[dict]:
    """Planned or stored items as plain data for the history."""
    return [{"service_id": i.service_id, "master_id": i.master_id, "room_id": i.room_id,
             "equipment_id": i.equipment_id, "starts_at": i.starts_at.isoformat(),
             "ends_at": i.ends_at.isoformat(), "price": str(i.price)} for i in items]


def _history(actor, booking, kind, from_status, to_status, reason="", changes=None) -> None:
    """One entry of the booking's history and its audit entry, written now."""
    writes = statements.PreparedWrites()
    BookingEvent.prepare_create(writes, None, booking=booking, kind=kind, from_status=from_status,
                                to_status=to_status, reason=reason, changes=changes or {}, actor_kind=actor.kind,
                                actor_id=actor.id)
    writes.add(audit_statement(actor, f"booking.{kind}", "booking", booking.id,
                               {"from": from_status, "to": to_status, **(changes or {})}, note=reason or None))
    writes.run()


def active_items(booking: Booking) -> list[BookingItem]:
    """The booking's current items in visit order."""
    return list(BookingItem.select().where((BookingItem.booking == booking) & (BookingItem.active == True))  # noqa: E712
                .order_by(BookingItem.position))


def _specs_of(items: list[BookingItem]) -> list[dict]:
    return [{"id": i.id, "service_id": i.service_id, "master_id": i.master_id, "room_id": i.room_id,
             "equipment_id": i.equipment_id, "price": i.price,
             "duration_min": int((i.ends_at - i.starts_at).total_seconds() // 60)} for i in items]


def update_booking(actor: Actor, booking_id: str, changes: dict) -> Booking:
    """Move, reassign, resize or re-item a booking; the new placement is checked like a new one.

    ``changes`` may hold starts_at, items (each with an optional id of an
    existing item; existing items left out are removed), comment, client_id
    and allow_outside_hours.
    """
    with read_snapshot():
        refs = ReferenceRows.current()
        ctx = refs.salon_context()
        booking = fetch(Booking, booking_id)
        if booking.status in rules.FINAL:
            raise Conflict(f"a {booking.status} booking cannot be changed", code="booking_final")
        current = active_items(booking)
        own_ids = {i.id for i in current}
        specs = changes.get("items") or _specs_of(current)
        for index, spec in enumerate(specs):
            if spec.get("id") and spec["id"] not in own_ids:
                raise InvalidInput(f"items.{index}.id", "is not an item of this booking")
        start = changes.get("starts_at") or booking.starts_at
        planned = plan_items(specs, start, refs=refs)
        hours = {} if changes.get("allow_outside_hours") else outside_hours(ctx, planned, refs)
    with write_transaction():
        assign_and_check(ctx, planned, exclude_booking=booking.id, hours=hours)
        before = {"starts_at": booking.starts_at.isoformat(), "items": _items_summary(current)}
        if changes.get("client_id"):
            booking.client = fetch(Client, changes["client_id"], field="client_id", active_only=True)
        if "comment" in changes and changes["comment"] is not None:
            booking.comment = changes["comment"]
        booking.starts_at, booking.ends_at = planned[0].starts_at, planned[-1].ends_at
        booking.total = sum(p.price for p in planned)
        booking.save()
        booking.written_items = _write_items(booking, planned)
        moved = [(p.starts_at, p.master.id) for p in planned] != [(i.starts_at, i.master_id) for i in current]
        kind = "moved" if moved else "edited"
        _history(actor, booking, kind, booking.status, booking.status,
                 changes={"before": before, "after": {"starts_at": start.isoformat(),
                                                      "items": _items_summary(planned)}})
    return booking


def set_status(actor: Actor, booking_id: str, status: str, reason: str = "") -> Booking:
    """Move a booking along its lifecycle; cancellations and no-shows need a reason."""
    booking = fetch(Booking, booking_id)
    if status not in rules.STATUSES:
        raise InvalidInput("status", f"must be one of {', '.join(rules.STATUSES)}")
    if status == booking.status:
        return booking
    if not rules.can_move(booking.status, status):
        raise Conflict(f"a {booking.status} booking cannot become {status}", code="status_transition")
    if status in rules.NEEDS_REASON and not reason.strip():
        raise InvalidInput("reason", f"is required to set {status}")
    with write_transaction():
        previous = booking.status
        booking.status = status
        booking.status_reason = reason.strip()
        booking.save()
        if status == rules.COMPLETED:
            record_visit(Client.get_by_id(booking.client_id), booking.starts_at)
        _history(actor, booking, "status", previous, status, reason=reason.strip())
    return booking


def history(booking_id: str) -> list[BookingEvent]:
    """The booking's history, oldest first, its creation included.

    Bookings made since migration 0016 store no "created" entry: it is shown from the row
    (unsaved, with the booking's id) and from what the later entries say the booking was.
    """
    booking = fetch(Booking, booking_id)
    events = list(BookingEvent.select().where(BookingEvent.booking == booking)
                  .order_by(BookingEvent.created_at, BookingEvent.id))
    if booking.created_by_kind is not None and not any(e.kind == "created" for e in events):
        events.insert(0, _creation_entry(booking, events))
    return events


def _creation_entry(booking: Booking, events: list[BookingEvent]) -> BookingEvent:
    # Every later change is an entry holding what it changed from: the first status is the "from"
    # of the first entry, the first items the "before" of the first move or edit.
    reshaped = next((e for e in events if e.kind in ("moved", "edited")), None)
    items = reshaped.changes["before"]["items"] if reshaped else _items_summary(active_items(booking))
    return BookingEvent(id=booking.id, booking=booking.id, kind="created", from_status=None,
                        to_status=events[0].from_status if events else booking.status, reason="",
                        changes={"items": items}, actor_kind=booking.created_by_kind, actor_id=booking.created_by,
                        created_at=booking.created_at, updated_at=booking.created_at)
