"""Work schedules, single-day changes, absences and blocked time (ST2, BK11)."""
from datetime import date, timedelta

from appliance.domain import schedule as rules
from appliance.domain.wallclock import local_interval
from appliance.services.audit import audit
from appliance.services.context import Actor, SalonContext
from appliance.services.errors import InvalidInput
from appliance.services.lookup import apply_changes, fetch
from appliance.storage.database import database
from appliance.storage.models.catalogue import Equipment, Room, Staff
from appliance.storage.models.schedules import Absence, ScheduleDay, TimeBlock, WorkPattern

ABSENCE_REASONS = ("vacation", "sick_leave", "unpaid_leave", "absence_without_leave", "training", "other")
MAX_CYCLE_DAYS = 28


def _check_days(kind: str, days: list) -> None:
    if kind == rules.WEEKLY and len(days) != 7:
        raise InvalidInput("days", "a weekly pattern has 7 days, Monday first")
    if kind == rules.CYCLE and not 2 <= len(days) <= MAX_CYCLE_DAYS:
        raise InvalidInput("days", f"a shift cycle has 2 to {MAX_CYCLE_DAYS} days")
    for index, day in enumerate(days):
        try:
            rules.check_day(day)
        except ValueError as exc:
            raise InvalidInput(f"days.{index}", str(exc)) from None


def create_pattern(actor: Actor, staff_id: str, data: dict) -> WorkPattern:
    """Put a weekly template or a shift cycle in force from ``valid_from``."""
    fetch(Staff, staff_id)
    _check_days(data["kind"], data["days"])
    if data.get("valid_until") and data["valid_until"] < data["valid_from"]:
        raise InvalidInput("valid_until", "is before valid_from")
    if data["kind"] == rules.CYCLE and not data.get("anchor"):
        data = {**data, "anchor": data["valid_from"]}
    with database.atomic():
        pattern = WorkPattern.create(staff=staff_id, **data)
        audit(actor, "schedule.pattern_created", "work_pattern", pattern.id, {"staff_id": staff_id})
    return pattern


def update_pattern(actor: Actor, pattern_id: str, changes: dict) -> WorkPattern:
    """Change a template's days, period or name, or deactivate it."""
    pattern = fetch(WorkPattern, pattern_id)
    if "days" in changes:
        _check_days(pattern.kind, changes["days"])
    with database.atomic():
        if apply_changes(pattern, changes, {"name", "days", "anchor", "valid_from", "valid_until", "active"}):
            if pattern.valid_until and pattern.valid_until < pattern.valid_from:
                raise InvalidInput("valid_until", "is before valid_from")
            pattern.save()
            audit(actor, "schedule.pattern_changed", "work_pattern", pattern.id, {"staff_id": pattern.staff_id})
    return pattern


def set_day(actor: Actor, staff_id: str, day: date, intervals: list, note: str = "") -> ScheduleDay:
    """Set one date's hours for a master ([] is a day off), replacing any earlier change."""
    fetch(Staff, staff_id)
    try:
        rules.check_day(intervals)
    except ValueError as exc:
        raise InvalidInput("intervals", str(exc)) from None
    with database.atomic():
        row = ScheduleDay.get_or_none((ScheduleDay.staff == staff_id) & (ScheduleDay.day == day))
        if row is None:
            row = ScheduleDay.create(staff=staff_id, day=day, intervals=intervals, note=note)
        else:
            row.intervals, row.note, row.active = intervals, note, True
            row.save()
        audit(actor, "schedule.day_set", "schedule_day", row.id, {"staff_id": staff_id, "day": day.isoformat()})
    return row


def clear_day(actor: Actor, staff_id: str, day: date) -> None:
    """Drop a single-day change so the template applies again."""
    row = ScheduleDay.get_or_none((ScheduleDay.staff == staff_id) & (ScheduleDay.day == day)
                                  & (ScheduleDay.active == True))  # noqa: E712
    if row is not None:
        with database.atomic():
            row.active = False
            row.save()
            audit(actor, "schedule.day_cleared", "schedule_day", row.id)


def create_absence(actor: Actor, staff_id: str, data: dict) -> Absence:
    """Record days away with a reason."""
    fetch(Staff, staff_id)
    if data["reason"] not in ABSENCE_REASONS:
        raise InvalidInput("reason", f"must be one of {', '.join(ABSENCE_REASONS)}")
    if data["date_to"] < data["date_from"]:
        raise InvalidInput("date_to", "is before date_from")
    with database.atomic():
        absence = Absence.create(staff=staff_id, **data)
        audit(actor, "schedule.absence_created", "absence", absence.id, {"staff_id": staff_id})
    return absence


def update_absence(actor: Actor, absence_id: str, changes: dict) -> Absence:
    """Change or cancel (active=false) an absence."""
    absence = fetch(Absence, absence_id)
    if "reason" in changes and changes["reason"] not in ABSENCE_REASONS:
        raise InvalidInput("reason", f"must be one of {', '.join(ABSENCE_REASONS)}")
    with database.atomic():
        if apply_changes(absence, changes, {"date_from", "date_to", "reason", "note", "active"}):
            if absence.date_to < absence.date_from:
                raise InvalidInput("date_to", "is before date_from")
            absence.save()
            audit(actor, "schedule.absence_changed", "absence", absence.id)
    return absence


def schedules_for(staff_ids, first: date, last: date) -> dict:
    """Domain StaffSchedule per master, holding the rules that touch [first, last]."""
    result = {sid: rules.StaffSchedule() for sid in staff_ids}
    for p in WorkPattern.select().where(WorkPattern.staff.in_(staff_ids) & (WorkPattern.active == True)  # noqa: E712
                                        & (WorkPattern.valid_from <= last)).order_by(WorkPattern.created_at):
        if p.valid_until is None or p.valid_until >= first:
            days = tuple(tuple(rules.parse_interval(i) for i in day) for day in p.days)
            result[p.staff_id].patterns.append(
                rules.WorkPattern(p.kind, days, p.valid_from, p.valid_until, p.anchor))
    for d in ScheduleDay.select().where(ScheduleDay.staff.in_(staff_ids) & (ScheduleDay.active == True)  # noqa: E712
                                        & ScheduleDay.day.between(first, last)):
        result[d.staff_id].day_changes[d.day] = [rules.parse_interval(i) for i in d.intervals]
    for a in Absence.select().where(Absence.staff.in_(staff_ids) & (Absence.active == True)  # noqa: E712
                                    & (Absence.date_from <= last) & (Absence.date_to >= first)):
        result[a.staff_id].absences.append(rules.Absence(a.date_from, a.date_to, a.reason))
    return result


def working_spans(staff_ids, first: date, last: date, ctx: SalonContext) -> dict:
    """UTC working intervals per master for local dates first..last."""
    schedules = schedules_for(list(staff_ids), first, last)
    spans = {sid: [] for sid in staff_ids}
    day = first
    while day <= last:
        for sid, schedule in schedules.items():
            for start, end in schedule.intervals_on(day):
                spans[sid].append(local_interval(day, start, end, ctx.tz))
        day += timedelta(days=1)
    return spans


def create_block(actor: Actor, data: dict) -> TimeBlock:
    """Block time of exactly one master, room or equipment (a break, maintenance)."""
    _check_block_target(data)
    if data["ends_at"] <= data["starts_at"]:
        raise InvalidInput("ends_at", "must be after starts_at")
    with database.atomic():
        block = TimeBlock.create(**data)
        audit(actor, "schedule.block_created", "time_block", block.id)
    return block


def update_block(actor: Actor, block_id: str, changes: dict) -> TimeBlock:
    """Move, resize, re-reason or remove (active=false) blocked time."""
    block = fetch(TimeBlock, block_id)
    with database.atomic():
        if apply_changes(block, changes, {"starts_at", "ends_at", "reason", "active"}):
            if block.ends_at <= block.starts_at:
                raise InvalidInput("ends_at", "must be after starts_at")
            block.save()
            audit(actor, "schedule.block_changed", "time_block", block.id)
    return block


def _check_block_target(data: dict) -> None:
    targets = [k for k in ("staff_id", "room_id", "equipment_id") if data.get(k)]
    if len(targets) != 1:
        raise InvalidInput("staff_id", "give exactly one of staff_id, room_id, equipment_id")
    model = {"staff_id": Staff, "room_id": Room, "equipment_id": Equipment}[targets[0]]
    fetch(model, data[targets[0]], field=targets[0], active_only=True)


