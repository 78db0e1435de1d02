"""Turning requested booking items into exact placements, and finding what they clash with.

Shared by single bookings, moves, recurring series and group events. Every
check here runs inside the caller's write transaction (BEGIN IMMEDIATE), so
no other process can book the same time between the check and the insert.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from appliance.domain.intervals import covers, merge, overlaps, saturated
from appliance.services.calendar import MAX_ITEM_SPAN, epoch, occupations, room_capacities
from appliance.services.context import SalonContext
from appliance.services.errors import Conflict, InvalidInput
from appliance.services.lookup import fetch
from appliance.services.reference_rows import ReferenceRows
from appliance.services.schedules import working_spans
from appliance.storage.models.catalogue import Equipment, Room, Service, Staff


@dataclass
class PlannedItem:
    """One service placed in time, before or after it is checked."""

    index: int
    service: Service
    master: Staff
    room_id: str | None
    equipment_id: str | None
    starts_at: datetime
    ends_at: datetime
    busy_until: datetime
    price: Decimal
    item_id: str | None = None  # existing BookingItem being changed

    @property
    def service_id(self) -> str:
        """Id of the service, as on a stored item."""
        return self.service.id

    @property
    def master_id(self) -> str:
        """Id of the master, as on a stored item."""
        return self.master.id


def plan_items(specs: list[dict], start: datetime, prefix: str = "items",
               refs: ReferenceRows | None = None) -> list[PlannedItem]:
    """Resolve services, masters, prices and times; items follow each other without gaps."""
    refs = refs or ReferenceRows.current()
    planned, cursor = [], start
    for index, spec in enumerate(specs):
        field = f"{prefix}.{index}"
        service = refs.fetch(Service, spec["service_id"], field=f"{field}.service_id", active_only=True)
        master = refs.fetch(Staff, spec["master_id"], field=f"{field}.master_id", active_only=True)
        skill = refs.skill(master.id, service.id)
        if skill is None or not skill.active or not master.bookable:
            raise InvalidInput(f"{field}.master_id", f"{master.first_name} does not perform {service.name}")
        duration = spec.get("duration_min") or skill.duration_min or service.duration_min
        price = _price(spec.get("price"), skill, service, f"{field}.price")
        room_id = _typed_resource(Room, spec.get("room_id"), "room_type", service.room_type, f"{field}.room_id")
        equipment_id = _typed_resource(Equipment, spec.get("equipment_id"), "equipment_type",
                                       service.equipment_type, f"{field}.equipment_id")
        if timedelta(minutes=duration + service.buffer_min) >= MAX_ITEM_SPAN:
            raise InvalidInput(f"{field}.duration_min", "a service with its clean-up must be shorter than a day")
        ends_at = cursor + timedelta(minutes=duration)
        planned.append(PlannedItem(index, service, master, room_id, equipment_id, cursor, ends_at,
                                   ends_at + timedelta(minutes=service.buffer_min), price, spec.get("id")))
        cursor = ends_at
    return planned


def _price(given, skill, service, field) -> Decimal:
    low = skill.price if skill.price is not None else service.price
    high = skill.price_max if skill.price is not None else service.price_max
    if given is None:
        return low
    if given < low or given > (high if high is not None else low):
        allowed = f"{low}" if high is None else f"{low}-{high}"
        raise InvalidInput(field, f"must be {allowed} for this service")
    return given


def _typed_resource(model, given, type_name, needed_type, field):
    if not given:
        return None
    row = fetch(model, given, field=field, active_only=True)
    if needed_type and getattr(row, type_name) != needed_type:
        raise InvalidInput(field, f"the service needs a {needed_type}, not a {getattr(row, type_name)}")
    return row.id


def assign_and_check(ctx: SalonContext, planned: list[PlannedItem], exclude_booking: str | None = None,
                     allow_outside_hours: bool = False, exclude_event: str | None = None,
                     hours: dict | None = None) -> None:
    """Pick free rooms/equipment where needed and raise Conflict naming every clash.

    ``hours`` is what ``outside_hours`` found before the write lock was taken
    (working hours do not decide double-booking, so they need not be read
    under it); without it they are checked here.
    """
    if hours is None:
        hours = {} if allow_outside_hours else outside_hours(ctx, planned)
    try:
        conflicts = []
        for item in planned:
            if item.room_id is None and item.service.room_type:
                item.room_id = _first_free(Room, Room.room_type, item.service.room_type, item, exclude_booking)
            if item.equipment_id is None and item.service.equipment_type:
                item.equipment_id = _first_free(Equipment, Equipment.equipment_type,
                                                item.service.equipment_type, item, exclude_booking)
            conflicts += item_conflicts(item, exclude_booking, exclude_event) + hours.get(item.index, [])
        if conflicts:
            first = conflicts[0]
            raise Conflict(f"{first['resource']} {first['resource_name']} is not free: {first['reason']}",
                           conflicts, code="booking_conflict")
    except Conflict as exc:
        _localise(exc.conflicts, ctx.tz)
        raise


def _localise(conflicts: list[dict], tz) -> None:
    """Times in a conflict are shown like every other time of the API: in the salon's zone."""
    for conflict in conflicts:
        for name in ("starts_at", "ends_at"):
            if conflict.get(name) is not None:
                conflict[name] = conflict[name].astimezone(tz)


def _first_free(model, type_field, needed, item, exclude_booking):
    """The first free room or equipment of the needed type; Conflict naming what holds them all."""
    candidates = list(model.select().where((type_field == needed) & (model.active == True))  # noqa: E712
                      .order_by(model.name))
    kind = kind_name(model)
    clashes = []
    for candidate in candidates:
        probe = PlannedItem(**item.__dict__)
        setattr(probe, f"{kind}_id", candidate.id)
        found = _resource_clashes(kind, candidate.id, probe, exclude_booking, None)
        if not found:
            return candidate.id
        clashes += found
    if not clashes:
        clashes = [_conflict_entry(item, kind, None, needed, "none_free", None, None, None)]
    raise Conflict(f"no {needed} is free at that time", clashes, code="booking_conflict")


def kind_name(model) -> str:
    """'room' or 'equipment'."""
    return "room" if model is Room else "equipment"


def _master_name(item: PlannedItem) -> str:
    return f"{item.master.first_name} {item.master.last_name}".strip()


def item_conflicts(item: PlannedItem, exclude_booking=None, exclude_event=None) -> list[dict]:
    """Every clash of one placed item: master, room beyond capacity, equipment."""
    found = [_conflict_entry(item, "master", item.master.id, _master_name(item), kind, ref, s, e)
             for kind, ref, _, s, e in occupations(item.starts_at, item.busy_until, exclude_booking,
                                                   exclude_event, master=[item.master.id])]
    if item.room_id:
        found += _resource_clashes("room", item.room_id, item, exclude_booking, exclude_event)
    if item.equipment_id:
        found += _resource_clashes("equipment", item.equipment_id, item, exclude_booking, exclude_event)
    return found


def outside_hours(ctx: SalonContext, planned: list[PlannedItem],
                  refs: ReferenceRows | None = None) -> dict[int, list[dict]]:
    """The items that fall outside their master's working time, by item index."""
    found = {}
    refs = refs or ReferenceRows.current()
    for item in planned:
        day = item.starts_at.astimezone(ctx.tz).date()
        # Working time comes from reference rows only: kept with them, not worked out per booking.
        hours = refs.derived(("working_epochs", item.master.id, day),
                             lambda: _working_epochs(item.master.id, day, ctx, refs))
        if not covers(hours, epoch(item.starts_at), epoch(item.ends_at)):
            found[item.index] = [_conflict_entry(item, "master", item.master.id, _master_name(item),
                                                 "outside_working_hours", None, None, None)]
    return found


def _working_epochs(master_id: str, day, ctx: SalonContext, refs: ReferenceRows) -> list:
    # From the day before: a night shift that began then can cover the small hours of ``day``.
    # The master's rules are read for the whole week (and kept): bookings come for the same few
    # days, and reading each day's on its own took three queries for every new day.
    monday = day - timedelta(days=day.weekday())
    week = (monday - timedelta(days=1), monday + timedelta(days=6))
    spans = working_spans((master_id,), day - timedelta(days=1), day, ctx, refs, read_for=week)[master_id]
    return merge(sorted((epoch(s), epoch(e)) for s, e in spans))


def _resource_clashes(kind, resource_id, item, exclude_booking, exclude_event) -> list[dict]:
    rows = occupations(item.starts_at, item.busy_until, exclude_booking, exclude_event, **{kind: [resource_id]})
    if kind == "equipment":
        name = Equipment.get_by_id(resource_id).name
        return [_conflict_entry(item, kind, resource_id, name, k, ref, s, e) for k, ref, _, s, e in rows]
    capacity = room_capacities([resource_id])[resource_id]
    spans = []
    for k, _, _, s, e in rows:
        spans.extend([(epoch(s), epoch(e))] * (1 if k == "booking" else capacity))
    full = saturated(spans, capacity)
    start, end = epoch(item.starts_at), epoch(item.busy_until)
    if not any(overlaps(s, e, start, end) for s, e in full):
        return []
    name = Room.get_by_id(resource_id).name
    return [_conflict_entry(item, kind, resource_id, name, k, ref, s, e) for k, ref, _, s, e in rows
            if any(overlaps(fs, fe, epoch(s), epoch(e)) and overlaps(fs, fe, start, end) for fs, fe in full)]


_REASONS = {
    "booking": "booked", "group_event": "a group event", "time_block": "blocked time",
    "outside_working_hours": "outside working hours", "none_free": "none free",
}


def _conflict_entry(item, resource, resource_id, resource_name, kind, ref, starts_at, ends_at) -> dict:
    return {
        "item": item.index, "resource": resource, "resource_id": resource_id, "resource_name": resource_name,
        "reason": _REASONS[kind], "with": kind, "id": ref, "starts_at": starts_at, "ends_at": ends_at,
    }
