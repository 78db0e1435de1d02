"""What occupies masters, rooms and equipment over a window: for slot search and conflicts.

One set of queries feeds both the nearest-free-time search and the booking
engine's conflict check, so a slot offered is a slot that can be booked.
"""
from datetime import datetime, timedelta

from appliance.domain.availability import Calendar
from appliance.domain.booking_rules import HOLDING
from appliance.domain.intervals import merge, saturated
from appliance.services.context import SalonContext
from appliance.services.schedules import working_spans
from appliance.storage.models.bookings import Booking, BookingItem, GroupEvent
from appliance.storage.models.catalogue import Room
from appliance.storage.models.schedules import TimeBlock


# The longest a booking item or group event may hold a resource (service plus clean-up).
# Bounding lookups by it lets the (resource, starts_at) index skip all history.
MAX_ITEM_SPAN = timedelta(hours=24)


def epoch(moment: datetime) -> int:
    """Seconds since the epoch of an aware datetime."""
    return int(moment.timestamp())


def item_occupations(start: datetime, end: datetime, exclude_booking: str | None = None,
                     **resource):
    """Booking items holding a resource over [start, end): rows of item, booking and times.

    ``resource`` is one of master=ids, room=ids, equipment=ids.
    """
    (name, ids), = resource.items()
    column = getattr(BookingItem, name)
    query = (BookingItem.select(column.alias("resource"), BookingItem.booking, BookingItem.starts_at,
                                BookingItem.busy_until)
             .join(Booking)
             .where(column.in_(ids) & (BookingItem.active == True)  # noqa: E712
                    & Booking.status.in_(HOLDING)
                    & (BookingItem.starts_at < end) & (BookingItem.starts_at > start - MAX_ITEM_SPAN)
                    & (BookingItem.busy_until > start)))
    if exclude_booking:
        query = query.where(BookingItem.booking != exclude_booking)
    return [("booking", r[1], r[0], r[2], r[3]) for r in query.tuples()]


def event_occupations(start: datetime, end: datetime, exclude_event: str | None = None, **resource):
    """Scheduled group events holding a resource over [start, end)."""
    (name, ids), = resource.items()
    column = getattr(GroupEvent, name)
    query = (GroupEvent.select(column, GroupEvent.id, GroupEvent.starts_at, GroupEvent.busy_until)
             .where(column.in_(ids) & (GroupEvent.active == True) & (GroupEvent.status == "scheduled")  # noqa: E712
                    & (GroupEvent.starts_at < end) & (GroupEvent.starts_at > start - MAX_ITEM_SPAN)
                    & (GroupEvent.busy_until > start)))
    if exclude_event:
        query = query.where(GroupEvent.id != exclude_event)
    return [("group_event", r[1], r[0], r[2], r[3]) for r in query.tuples()]


def block_occupations(start: datetime, end: datetime, **resource):
    """Blocked time of a resource over [start, end)."""
    (name, ids), = resource.items()
    column = getattr(TimeBlock, "staff" if name == "master" else name)
    query = (TimeBlock.select(column, TimeBlock.id, TimeBlock.starts_at, TimeBlock.ends_at)
             .where(column.in_(ids) & (TimeBlock.active == True)  # noqa: E712
                    & (TimeBlock.starts_at < end) & (TimeBlock.ends_at > start)))
    return [("time_block", r[1], r[0], r[2], r[3]) for r in query.tuples()]


def occupations(start, end, exclude_booking=None, exclude_event=None, **resource):
    """Everything holding the resource: bookings, group events and blocked time."""
    return (item_occupations(start, end, exclude_booking, **resource)
            + event_occupations(start, end, exclude_event, **resource)
            + block_occupations(start, end, **resource))


def room_capacities(room_ids) -> dict:
    """Capacity of each room."""
    return dict(Room.select(Room.id, Room.capacity).where(Room.id.in_(list(room_ids))).tuples())


def load_calendar(ctx: SalonContext, masters, rooms, equipment, start: datetime, end: datetime,
                  exclude_booking: str | None = None) -> Calendar:
    """The domain Calendar of the given resources over [start, end), in epoch seconds."""
    calendar = Calendar()
    first = start.astimezone(ctx.tz).date() - timedelta(days=1)
    last = end.astimezone(ctx.tz).date()
    for master, spans in working_spans(masters, first, last, ctx).items():
        calendar.working[master] = merge((epoch(s), epoch(e)) for s, e in spans)
    calendar.busy = _merged_by_resource(
        occupations(start, end, exclude_booking, master=list(masters)), masters)
    if rooms:
        capacity = room_capacities(rooms)
        per_room = {r: [] for r in rooms}
        for kind, _, room, s, e in occupations(start, end, exclude_booking, room=list(rooms)):
            # A group event or a block takes the whole room, whatever its capacity.
            copies = 1 if kind == "booking" else capacity[room]
            per_room[room].extend([(epoch(s), epoch(e))] * copies)
        calendar.room_full = {r: saturated(spans, capacity[r]) for r, spans in per_room.items()}
    if equipment:
        calendar.equipment_busy = _merged_by_resource(
            occupations(start, end, exclude_booking, equipment=list(equipment)), equipment)
    return calendar


def _merged_by_resource(rows, ids) -> dict:
    spans = {i: [] for i in ids}
    for _, _, resource, s, e in rows:
        spans[resource].append((epoch(s), epoch(e)))
    return {i: merge(v) for i, v in spans.items()}
