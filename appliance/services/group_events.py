"""Group events and classes with a capacity and an attendee list (BK5)."""
from appliance.services.audit import audit
from appliance.services.booking_plan import assign_and_check, plan_items
from appliance.services.context import Actor, SalonContext
from appliance.services.errors import Conflict, InvalidInput
from appliance.services.lookup import fetch
from appliance.storage.database import write_transaction
from appliance.storage.models.bookings import GroupAttendee, GroupEvent
from appliance.storage.models.clients import Client

ATTENDEE_STATUSES = ("booked", "arrived", "cancelled", "no_show")


def create_event(actor: Actor, data: dict) -> GroupEvent:
    """Schedule a class: its master, room and equipment are held like a booking's."""
    ctx = SalonContext.load()
    spec = {k: data.get(k) for k in ("service_id", "master_id", "room_id", "equipment_id", "duration_min", "price")}
    planned = plan_items([spec], data["starts_at"], prefix="event")
    item = planned[0]
    with write_transaction():
        assign_and_check(ctx, planned, allow_outside_hours=data.get("allow_outside_hours", False))
        event = GroupEvent.create(
            title=data.get("title") or item.service.name, service=item.service, master=item.master,
            room=item.room_id, equipment=item.equipment_id, starts_at=item.starts_at, ends_at=item.ends_at,
            busy_until=item.busy_until, capacity=data["capacity"], price=item.price)
        audit(actor, "group_event.created", "group_event", event.id, {"capacity": event.capacity})
    return event


def cancel_event(actor: Actor, event_id: str, reason: str) -> GroupEvent:
    """Cancel a class; its time is freed, attendees keep their record."""
    event = fetch(GroupEvent, event_id)
    if not reason.strip():
        raise InvalidInput("reason", "is required to cancel")
    with write_transaction():
        event.status = "cancelled"
        event.save()
        audit(actor, "group_event.cancelled", "group_event", event.id, note=reason)
    return event


def booked_count(event: GroupEvent) -> int:
    """Attendees holding a place."""
    return GroupAttendee.select().where((GroupAttendee.event == event)
                                        & GroupAttendee.status.in_(("booked", "arrived"))).count()


def sign_up(actor: Actor, event_id: str, client_id: str) -> GroupAttendee:
    """Add a client to a class; Conflict when it is full or cancelled."""
    event = fetch(GroupEvent, event_id)
    client = fetch(Client, client_id, field="client_id", active_only=True)
    with write_transaction():
        if event.status != "scheduled":
            raise Conflict("the event is cancelled", code="event_cancelled")
        existing = GroupAttendee.get_or_none((GroupAttendee.event == event) & (GroupAttendee.client == client))
        if existing is not None and existing.status in ("booked", "arrived"):
            raise Conflict("the client is already signed up", code="already_signed_up")
        if booked_count(event) >= event.capacity:
            raise Conflict(f"the event is full ({event.capacity} places)", code="event_full")
        if existing is None:
            attendee = GroupAttendee.create(event=event, client=client)
        else:
            existing.status = "booked"
            existing.save()
            attendee = existing
        audit(actor, "group_event.signed_up", "group_event", event.id, {"client_id": client.id})
    return attendee


def set_attendee_status(actor: Actor, event_id: str, client_id: str, status: str) -> GroupAttendee:
    """Mark an attendee arrived, cancelled or no-show."""
    if status not in ATTENDEE_STATUSES:
        raise InvalidInput("status", f"must be one of {', '.join(ATTENDEE_STATUSES)}")
    event = fetch(GroupEvent, event_id)
    attendee = GroupAttendee.get_or_none((GroupAttendee.event == event) & (GroupAttendee.client == client_id))
    if attendee is None:
        raise InvalidInput("client_id", "is not signed up for this event")
    with write_transaction():
        attendee.status = status
        attendee.save()
        audit(actor, "group_event.attendee_status", "group_event", event.id,
              {"client_id": client_id, "status": status})
    return attendee
