"""Nearest free time (BK6) over the salon's real schedules and bookings."""
from datetime import datetime, timedelta, timezone

from appliance.domain.availability import Need, find_slots
from appliance.domain.wallclock import day_bounds
from appliance.services.calendar import epoch, load_calendar
from appliance.services.errors import InvalidInput
from appliance.services.lookup import fetch
from appliance.services.reference_rows import ReferenceRows
from appliance.storage.database import read_snapshot
from appliance.storage.models.catalogue import Equipment, Room, Service, Staff, StaffService

MAX_HORIZON_DAYS = 62


def qualified_masters(service: Service) -> list[tuple[Staff, StaffService]]:
    """Active bookable masters who perform ``service``, in the salon's display order."""
    query = (Staff.select(Staff, StaffService)
             .join(StaffService, on=(StaffService.staff == Staff.id), attr="skill")
             .where((StaffService.service == service) & (StaffService.active == True)  # noqa: E712
                    & (Staff.active == True) & (Staff.bookable == True))  # noqa: E712
             .order_by(Staff.sort_order, Staff.last_name, Staff.first_name))
    return [(staff, staff.skill) for staff in query]


def resources_of_type(model, type_field, value) -> tuple | None:
    """Active rooms or equipment of a type, or None when the service needs none."""
    if not value:
        return None
    return tuple(r.id for r in model.select(model.id).where((type_field == value) & (model.active == True))  # noqa: E712
                 .order_by(model.name))


def build_need(index: int, service_id: str, master_id: str | None) -> Need:
    """The domain Need of one requested service; unknown ids and unqualified masters are bad input."""
    service = fetch(Service, service_id, field=f"services.{index}.service_id", active_only=True)
    pairs = qualified_masters(service)
    if master_id is not None:
        pairs = [(s, k) for s, k in pairs if s.id == master_id]
        if not pairs:
            fetch(Staff, master_id, field=f"services.{index}.master_id", active_only=True)
            raise InvalidInput(f"services.{index}.master_id", "does not perform this service")
    return Need(
        service_id=service.id,
        masters=tuple(s.id for s, _ in pairs),
        durations={s.id: (k.duration_min or service.duration_min) * 60 for s, k in pairs},
        buffer=service.buffer_min * 60,
        rooms=resources_of_type(Room, Room.room_type, service.room_type),
        equipment=resources_of_type(Equipment, Equipment.equipment_type, service.equipment_type),
    )


def free_slots(requested: list[tuple[str, str | None]], start: datetime, days: int, limit: int) -> list[dict]:
    """The first ``limit`` starts from ``start`` within ``days`` local days where the visit fits."""
    if not 1 <= days <= MAX_HORIZON_DAYS:
        raise InvalidInput("days", f"must be between 1 and {MAX_HORIZON_DAYS}")
    # One snapshot for the whole search, and what it reads of the catalogue, the masters, their
    # schedules and the rooms kept between searches for as long as none of them changes.
    with read_snapshot():
        refs = ReferenceRows.current()
        return _free_slots(refs, requested, start, days, limit)


def _free_slots(refs: ReferenceRows, requested, start: datetime, days: int, limit: int) -> list[dict]:
    ctx = refs.salon_context()
    # derived() runs the computation at once, so each lambda sees its own i, sid and mid.
    needs = [refs.derived(("need", sid, mid), lambda: build_need(i, sid, mid))
             for i, (sid, mid) in enumerate(requested)]
    masters = sorted({m for n in needs for m in n.masters})
    rooms = sorted({r for n in needs for r in (n.rooms or ())})
    equipment = sorted({e for n in needs for e in (n.equipment or ())})
    longest = sum(max(n.durations.values(), default=0) + n.buffer for n in needs)
    step = ctx.salon.slot_step_min * 60
    found, first = [], start.astimezone(ctx.tz).date()
    # The nearest slot is usually today or tomorrow: load the calendar for one day,
    # then one more, then ever larger spans, instead of a load per day.
    for count in _spans(days):
        if len(found) >= limit:
            break
        window_start = max(start, day_bounds(first, ctx.tz)[0])
        window_end = day_bounds(first + timedelta(days=count - 1), ctx.tz)[1]
        calendar = load_calendar(ctx, masters, rooms, equipment, window_start,
                                 window_end + timedelta(seconds=longest), refs=refs)
        found += _search_days(needs, calendar, first, count, window_start, step, ctx, limit - len(found))
        first += timedelta(days=count)
    return [_slot_dict(slot) for slot in found]


def _spans(days: int) -> list[int]:
    """Lengths in days of the successive calendar loads: 1, 1, 2, 4, ... covering ``days``."""
    spans, size = [], 1
    while sum(spans) < days:
        spans.append(min(size, days - sum(spans)))
        size = size * 2 if len(spans) > 1 else 1
    return spans


def _search_days(needs, calendar, first, count, window_start, step, ctx, limit):
    """Slots day by day over a loaded calendar: the grid restarts at each local midnight."""
    found = []
    for offset in range(count):
        day_start, day_end = day_bounds(first + timedelta(days=offset), ctx.tz)
        found += find_slots(needs, calendar, epoch(max(window_start, day_start)), epoch(day_end), step,
                            epoch(day_start), limit - len(found))
        if len(found) >= limit:
            break
    return found


def _slot_dict(slot) -> dict:
    def at(seconds):
        return datetime.fromtimestamp(seconds, timezone.utc)

    return {
        "starts_at": at(slot.start),
        "items": [{"service_id": p.service_id, "master_id": p.master_id, "room_id": p.room_id,
                   "equipment_id": p.equipment_id, "starts_at": at(p.start), "ends_at": at(p.end)}
                  for p in slot.placements],
    }
