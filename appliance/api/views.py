"""Rows to response models: times in the salon's zone, contacts hidden from roles without the right."""
from appliance.api.schemas import bookings as bs
from appliance.api.schemas import catalogue as cs
from appliance.api.schemas import clients as cls
from appliance.api.schemas import schedules as ss
from appliance.api.schemas.common import Page
from appliance.domain.permissions import allowed
from appliance.domain.phones import mask_phone
from appliance.services.clients import status_of
from appliance.services.context import Actor, SalonContext
from appliance.storage import statements
from appliance.storage.models.bookings import Booking, BookingItem, GroupAttendee
from appliance.storage.models.catalogue import Service
from appliance.storage.models.clients import Client


def local(moment, ctx: SalonContext):
    """An instant shown in the salon's zone (None stays None)."""
    return None if moment is None else moment.astimezone(ctx.tz)


def salon_out(salon) -> cs.SalonOut:
    """The salon's settings."""
    return cs.SalonOut(id=salon.id, name=salon.name, timezone=salon.timezone, currency=salon.currency,
                       country=salon.country, address=salon.address, phone=salon.phone,
                       opening_hours=salon.opening_hours, slot_step_min=salon.slot_step_min,
                       lost_after_days=salon.lost_after_days, name_order=salon.name_order)


def staff_out(staff) -> cs.StaffOut:
    """A staff member, never with the password hash."""
    return cs.StaffOut(**{f: getattr(staff, f) for f in cs.StaffOut.model_fields})


def plain_out(model_cls, row):
    """A row whose output fields are its columns (foreign keys as *_id)."""
    return model_cls(**{f: getattr(row, f) for f in model_cls.model_fields})


def whole_page(out, query, include_inactive: bool, convert=None):
    """Every row of ``query`` as one Page of ``out`` (inactive rows only on request)."""
    if not include_inactive:
        query = query.where(query.model.active == True)  # noqa: E712
    items = [convert(row) if convert else plain_out(out, row) for row in query]
    return Page[out](items=items, total=len(items))


def client_out(client: Client, ctx: SalonContext, actor: Actor) -> cls.ClientOut:
    """A client card; contacts are masked for roles without clients.contacts (PL1)."""
    contacts = allowed(actor.role, "clients.contacts")
    data = {f: getattr(client, f) for f in cls.ClientOut.model_fields if f not in ("status",)}
    data["status"] = status_of(client, ctx)
    data["first_visit_at"] = local(client.first_visit_at, ctx)
    data["last_visit_at"] = local(client.last_visit_at, ctx)
    if not contacts:
        data["phone"] = mask_phone(client.phone) if client.phone else None
        data["extra_phones"] = [mask_phone(p) for p in client.extra_phones]
        data["email"] = None
    return cls.ClientOut(**data)


def client_name(client: Client) -> str:
    """Name as the salon orders names."""
    return " ".join(p for p in (client.last_name, client.first_name) if p)


def bookings_out(bookings: list[Booking], ctx: SalonContext) -> list[bs.BookingOut]:
    """Several bookings with their items, in three queries whatever their number."""
    if not bookings:
        return []
    items = {}
    rows = statements.rows_where_in(BookingItem, "booking", [b.id for b in bookings], active=True)
    for item in sorted(rows, key=lambda i: i.position):
        items.setdefault(item.booking_id, []).append(item)
    names = {s.id: s.name for s in statements.rows_where_in(Service, "id", {i.service_id for i in rows})}
    clients = {c.id: c for c in statements.rows_where_in(Client, "id", {b.client_id for b in bookings})}
    return [_booking_out(b, items.get(b.id, []), clients[b.client_id], names, ctx) for b in bookings]


def booking_out(booking: Booking, ctx: SalonContext) -> bs.BookingOut:
    """One booking with its items; a booking just written is answered from memory, not read back."""
    written = getattr(booking, "written_items", None)
    client = booking.__rel__.get("client")
    if written is None or client is None:
        return bookings_out([booking], ctx)[0]
    return _booking_out(booking, written, client, {i.service_id: i.service.name for i in written}, ctx)


def _booking_out(booking, items, client, service_names, ctx) -> bs.BookingOut:
    # Built without validation: every value comes from rows the box wrote itself, in the schema's
    # types (a type that did not fit would warn when serialised), and validating them again
    # was a tenth of a booking's answer.
    return bs.BookingOut.model_construct(
        id=booking.id, code=booking.code, client_id=booking.client_id, client_name=client_name(client),
        status=booking.status, source=booking.source, comment=booking.comment,
        status_reason=booking.status_reason, series_id=booking.series_id,
        starts_at=local(booking.starts_at, ctx), ends_at=local(booking.ends_at, ctx), total=booking.total,
        currency=ctx.currency, first_visit=client.visit_count == 0,
        items=[bs.ItemOut.model_construct(id=i.id, position=i.position, service_id=i.service_id, service_name=service_names[i.service_id],
                          master_id=i.master_id, room_id=i.room_id, equipment_id=i.equipment_id,
                          starts_at=local(i.starts_at, ctx), ends_at=local(i.ends_at, ctx),
                          busy_until=local(i.busy_until, ctx), price=i.price) for i in items],
        created_at=local(booking.created_at, ctx), updated_at=local(booking.updated_at, ctx))


def block_out(block, ctx: SalonContext) -> ss.TimeBlockOut:
    """Blocked time in the salon's zone."""
    return ss.TimeBlockOut(id=block.id, staff_id=block.staff_id, room_id=block.room_id,
                           equipment_id=block.equipment_id, starts_at=local(block.starts_at, ctx),
                           ends_at=local(block.ends_at, ctx), reason=block.reason, active=block.active)


def group_event_out(event, ctx: SalonContext) -> bs.GroupEventOut:
    """A class with its attendee list."""
    attendees = (GroupAttendee.select(GroupAttendee, Client).join(Client)
                 .where(GroupAttendee.event == event).order_by(GroupAttendee.created_at))
    listed = [bs.AttendeeOut(client_id=a.client_id, client_name=client_name(a.client), status=a.status)
              for a in attendees]
    return bs.GroupEventOut(
        id=event.id, title=event.title, service_id=event.service_id, master_id=event.master_id,
        room_id=event.room_id, equipment_id=event.equipment_id, starts_at=local(event.starts_at, ctx),
        ends_at=local(event.ends_at, ctx), capacity=event.capacity,
        booked=sum(1 for a in listed if a.status in ("booked", "arrived")), price=event.price,
        status=event.status, attendees=listed)
