"""Work schedules, single-day changes, absences and blocked time (ST2, BK11)."""
import functools
import json
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
    """Domain StaffSchedule per master, holding the rules that touch [first, last].

    Plain SQL: this runs for every slot search and booking, where building the
    statements through the query builder cost more than running them.
    """
    ids = list(staff_ids)
    result = {sid: rules.StaffSchedule() for sid in ids}
    marks = ",".join("?" * len(ids))
    sql = (f"SELECT staff_id, kind, days, valid_from, valid_until, anchor FROM work_pattern "
           f"WHERE staff_id IN ({marks}) AND active = 1 AND valid_from <= ? AND "
           "(valid_until IS NULL OR valid_until >= ?) ORDER BY created_at")
    for sid, kind, days, valid_from, valid_until, anchor in _rows(sql, [*ids, last, first]):
        parsed = tuple(tuple(_interval(tuple(i)) for i in day) for day in json.loads(days))
        result[sid].patterns.append(rules.WorkPattern(kind, parsed, _day(valid_from), _day(valid_until),
                                                      _day(anchor)))
    sql = (f"SELECT staff_id, day, intervals FROM schedule_day WHERE staff_id IN ({marks}) AND active = 1 "
           "AND day BETWEEN ? AND ?")
    for sid, day, intervals in _rows(sql, [*ids, first, last]):
        result[sid].day_changes[_day(day)] = [_interval(tuple(i)) for i in json.loads(intervals)]
    sql = (f"SELECT staff_id, date_from, date_to, reason FROM absence WHERE staff_id IN ({marks}) "
           "AND active = 1 AND date_from <= ? AND date_to >= ?")
    for sid, date_from, date_to, reason in _rows(sql, [*ids, last, first]):
        result[sid].absences.append(rules.Absence(_day(date_from), _day(date_to), reason))
    return result


def _rows(sql: str, params: list) -> list:
    return database.execute_sql(sql, [p.isoformat() if isinstance(p, date) else p for p in params]).fetchall()


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


@functools.lru_cache(maxsize=4096)
def _interval(pair) -> tuple:
    return rules.parse_interval(pair)


def working_spans(staff_ids, first: date, last: date, ctx: SalonContext, refs=None,
                  read_for: tuple[date, date] | None = None) -> dict:
    """UTC working intervals per master for local dates first..last (schedules kept in ``refs`` if given).

    ``read_for``: a wider range of dates to read the masters' rules for (and keep them), when
    neighbouring days will be asked for next.
    """
    window = read_for or (first, last)
    schedules = refs.schedules(staff_ids, *window) if refs is not None else schedules_for(
        list(staff_ids), *window)
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


