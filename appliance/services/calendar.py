"""What occupies masters, rooms and equipment over a window: for slot search and conflicts.

One set of queries feeds both the nearest-free-time search and the booking
engine's conflict check, so a slot offered is a slot that can be booked.
"""
from datetime import datetime, timedelta, timezone

from appliance.domain.availability import Calendar
from appliance.domain.booking_rules import HOLDING
from appliance.domain.intervals import merge, saturated
from appliance.services.context import SalonContext
from appliance.services.schedules import working_spans
from appliance.storage.database import database
from appliance.storage.fields import utc_text
from appliance.storage.models.catalogue import Room


# The longest a booking item or group event may hold a resource (service plus clean-up).
# Bounding lookups by it lets the (resource, starts_at) index skip all history.
MAX_ITEM_SPAN = timedelta(hours=24)


def epoch(moment: datetime) -> int:
    """Seconds since the epoch of an aware datetime."""
    return int(moment.timestamp())


# Hot path of every slot search and booking: plain SQL, because building the
# same statements through peewee's query builder cost more than running them.
_COLUMN = {"master": "master_id", "room": "room_id", "equipment": "equipment_id"}


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def _marks(values) -> str:
    return ",".join("?" * len(values))


def _resource(resource: dict) -> tuple[str, list]:
    (name, ids), = resource.items()
    return name, list(ids)


def _item_query(column: str, ids: list, window: tuple, exclude_booking: str | None):
    """Booking items of active bookings holding a resource over the window (see _window_texts)."""
    sql = (f"SELECT 'booking', i.booking_id, i.{column}, i.starts_at, i.busy_until FROM booking_item i "
           f"JOIN booking b ON b.id = i.booking_id WHERE i.{column} IN ({_marks(ids)}) AND i.active = 1 "
           f"AND b.status IN ({_marks(HOLDING)}) AND i.starts_at < ? AND i.starts_at > ? AND i.busy_until > ?")
    params = [*ids, *HOLDING, *window]
    if exclude_booking:
        sql += " AND i.booking_id != ?"
        params.append(exclude_booking)
    return sql, params


def _event_query(column: str, ids: list, window: tuple, exclude_event: str | None):
    """Scheduled group events holding a resource over the window."""
    sql = (f"SELECT 'group_event', id, {column}, starts_at, busy_until FROM group_event "
           f"WHERE {column} IN ({_marks(ids)}) AND active = 1 AND status = 'scheduled' "
           "AND starts_at < ? AND starts_at > ? AND busy_until > ?")
    params = [*ids, *window]
    if exclude_event:
        sql += " AND id != ?"
        params.append(exclude_event)
    return sql, params


def _block_query(column: str, ids: list, window: tuple):
    """Blocked time of a resource over the window."""
    sql = (f"SELECT 'time_block', id, {column}, starts_at, ends_at FROM time_block "
           f"WHERE {column} IN ({_marks(ids)}) AND active = 1 AND starts_at < ? AND ends_at > ?")
    end, _, start = window
    return sql, [*ids, end, start]


def _window_texts(start: datetime, end: datetime) -> tuple[str, str, str]:
    """[start, end) as the columns compare it: (end, earliest start of what can reach start, start)."""
    return utc_text(end), utc_text(start - MAX_ITEM_SPAN), utc_text(start)


def occupations(start, end, exclude_booking=None, exclude_event=None, **resource):
    """Everything holding the resource over [start, end): bookings, group events and blocked time.

    ``resource`` is one of master=ids, room=ids, equipment=ids; each row is
    (kind, id of what holds it, resource id, start, end). One statement, since
    every booking and every slot search runs it.
    """
    name, ids = _resource(resource)
    column = _COLUMN[name]
    window = _window_texts(start, end)
    parts = (_item_query(column, ids, window, exclude_booking),
             _event_query(column, ids, window, exclude_event),
             _block_query("staff_id" if name == "master" else column, ids, window))
    sql = " UNION ALL ".join(part for part, _ in parts)
    params = [value for _, values in parts for value in values]
    return [(r[0], r[1], r[2], _instant(r[3]), _instant(r[4]))
            for r in database.execute_sql(sql, params).fetchall()]


def room_capacities(room_ids) -> dict:
    """Capacity of each room."""
    return dict(Room.select(Room.id, Room.capacity).where(Room.id.in_(list(room_ids))).tuples())


def load_calendar(ctx: SalonContext, masters, rooms, equipment, start: datetime, end: datetime,
                  exclude_booking: str | None = None, *, refs) -> Calendar:
    """The domain Calendar of the given resources over [start, end), in epoch seconds.

    ``refs``: the ReferenceRows of the caller's snapshot. Working time and room capacities are
    kept there, shared by every search of the process until the reference data changes, so
    they are read, never changed.
    """
    calendar = Calendar()
    first = start.astimezone(ctx.tz).date() - timedelta(days=1)
    last = end.astimezone(ctx.tz).date()
    masters, rooms = tuple(masters), tuple(rooms or ())
    calendar.working = refs.derived(("working", masters, first, last), lambda: _working(masters, first, last, ctx))
    capacity = refs.derived(("room_capacities", rooms), lambda: room_capacities(rooms)) if rooms else {}
    calendar.busy = _merged_by_resource(
        occupations(start, end, exclude_booking, master=list(masters)), masters)
    if rooms:
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


def _working(masters, first, last, ctx: SalonContext) -> dict:
    """Each master's merged working time over local dates first..last, in epoch seconds."""
    return {master: merge((epoch(s), epoch(e)) for s, e in spans)
            for master, spans in working_spans(masters, first, last, ctx).items()}


def _merged_by_resource(rows, ids) -> dict:
    spans = {i: [] for i in ids}
    for _, _, resource, s, e in rows:
        spans[resource].append((epoch(s), epoch(e)))
    return {i: merge(v) for i, v in spans.items()}


def data_version() -> str:
    """A marker that changes whenever anything the journal shows may have changed.

    The newest change-log entry moves with every local save (a kiosk check-in, another
    administrator's edit); the down-stream counter with every change head office sent.
    """
    row = database.execute_sql(
        "SELECT (SELECT coalesce(max(seq), 0) FROM change_log),"
        " (SELECT coalesce(max(down_applied), 0) FROM sync_state)").fetchone()
    return f"{row[0]}.{row[1]}"
