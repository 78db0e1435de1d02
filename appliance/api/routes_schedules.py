"""Work patterns, single-day changes, absences, blocked time and computed working hours."""
import re
from datetime import date, timedelta

from flask import Blueprint

from appliance.api.framework import endpoint, instant
from appliance.api.schemas import schedules as schema
from appliance.api.schemas.common import EARLIEST, LATEST, Page
from appliance.api.views import block_out, local, plain_out, whole_page
from appliance.services import schedules
from appliance.services.context import SalonContext
from appliance.services.errors import InvalidInput
from appliance.services.lookup import fetch
from appliance.storage.models.catalogue import Staff
from appliance.storage.models.schedules import Absence, TimeBlock, WorkPattern

bp = Blueprint("schedules", __name__)
MAX_RANGE_DAYS = 62
DAY = {"day": {"type": "string", "format": "date", "description": "a date like 2026-03-08"}}


@endpoint(bp, "GET", "/staff/<staff_id>/work-patterns", summary="A master's templates and shift cycles",
          permission="schedules.read", query=schema.PatternQuery, response=Page[schema.WorkPatternOut])
def list_patterns(actor, staff_id, query):
    fetch(Staff, staff_id)
    rows = WorkPattern.select().where(WorkPattern.staff == staff_id).order_by(WorkPattern.valid_from)
    return whole_page(schema.WorkPatternOut, rows, query.include_inactive)


@endpoint(bp, "POST", "/staff/<staff_id>/work-patterns", summary="Put a template (5/2) or cycle (2/2) in force",
          permission="schedules.write", body=schema.WorkPatternIn, response=schema.WorkPatternOut, status=201)
def create_pattern(actor, staff_id, body):
    return plain_out(schema.WorkPatternOut, schedules.create_pattern(actor, staff_id, body.model_dump()))


@endpoint(bp, "PATCH", "/work-patterns/<pattern_id>", summary="Change or end a template",
          permission="schedules.write", body=schema.WorkPatternPatch, response=schema.WorkPatternOut)
def patch_pattern(actor, pattern_id, body):
    return plain_out(schema.WorkPatternOut, schedules.update_pattern(actor, pattern_id, body.changes()))


@endpoint(bp, "PUT", "/staff/<staff_id>/days/<day>", summary="Set one date's hours ([] = day off)",
          permission="schedules.write", body=schema.ScheduleDayIn, response=schema.ScheduleDayOut, path=DAY)
def put_day(actor, staff_id, day, body):
    row = schedules.set_day(actor, staff_id, _date(day), body.intervals, body.note)
    return plain_out(schema.ScheduleDayOut, row)


@endpoint(bp, "DELETE", "/staff/<staff_id>/days/<day>", summary="Drop a single-day change (template applies)",
          permission="schedules.write", path=DAY)
def clear_day(actor, staff_id, day):
    fetch(Staff, staff_id)
    schedules.clear_day(actor, staff_id, _date(day))


def _date(text):
    try:
        day = date.fromisoformat(text) if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text) else None
    except ValueError:
        day = None
    if day is None or not EARLIEST <= day <= LATEST:
        raise InvalidInput("day", f"must be a date like 2026-03-08, {EARLIEST.year}-{LATEST.year}")
    return day


@endpoint(bp, "GET", "/staff/<staff_id>/absences", summary="A master's absences", permission="schedules.read",
          query=schema.AbsenceQuery, response=Page[schema.AbsenceOut])
def list_absences(actor, staff_id, query):
    fetch(Staff, staff_id)
    rows = Absence.select().where(Absence.staff == staff_id).order_by(Absence.date_from)
    if query.date_from:
        rows = rows.where(Absence.date_to >= query.date_from)
    if query.date_to:
        rows = rows.where(Absence.date_from <= query.date_to)
    return whole_page(schema.AbsenceOut, rows, query.include_inactive)


@endpoint(bp, "POST", "/staff/<staff_id>/absences", summary="Record an absence with its reason",
          permission="schedules.write", body=schema.AbsenceIn, response=schema.AbsenceOut, status=201)
def create_absence(actor, staff_id, body):
    return plain_out(schema.AbsenceOut, schedules.create_absence(actor, staff_id, body.model_dump()))


@endpoint(bp, "PATCH", "/absences/<absence_id>", summary="Change or cancel an absence",
          permission="schedules.write", body=schema.AbsencePatch, response=schema.AbsenceOut)
def patch_absence(actor, absence_id, body):
    return plain_out(schema.AbsenceOut, schedules.update_absence(actor, absence_id, body.changes()))


@endpoint(bp, "GET", "/working-hours", summary="Computed working intervals per master and date",
          permission="schedules.read", query=schema.RangeQuery, response=schema.WorkingDays)
def working_hours(actor, query):
    if query.date_to < query.date_from or (query.date_to - query.date_from).days > MAX_RANGE_DAYS:
        raise InvalidInput("date_to", f"must be on or after date_from and within {MAX_RANGE_DAYS} days")
    ctx = SalonContext.load()
    ids = query.staff_id or [s.id for s in Staff.select(Staff.id).where(
        (Staff.active == True) & (Staff.bookable == True))]  # noqa: E712
    for index, staff_id in enumerate(ids):
        fetch(Staff, staff_id, field=f"staff_id.{index}")
    spans = schedules.working_spans(ids, query.date_from, query.date_to, ctx)
    per_day = {}
    for staff_id, staff_spans in spans.items():
        for start, end in staff_spans:
            per_day.setdefault((staff_id, start.astimezone(ctx.tz).date()), []).append(
                schema.WorkingInterval(starts_at=local(start, ctx), ends_at=local(end, ctx)))
    items, day = [], query.date_from
    while day <= query.date_to:
        items += [schema.WorkingDay(staff_id=sid, day=day, intervals=per_day.get((sid, day), [])) for sid in ids]
        day += timedelta(days=1)
    return schema.WorkingDays(items=items)


@endpoint(bp, "GET", "/time-blocks", summary="Blocked time starting in a window", permission="schedules.read",
          query=schema.BlockQuery, response=Page[schema.TimeBlockOut])
def list_blocks(actor, query):
    ctx = SalonContext.load()
    start, end = instant(query.starts_from, "starts_from", ctx.tz), instant(query.starts_before, "starts_before", ctx.tz)
    rows = TimeBlock.select().where((TimeBlock.starts_at >= start) & (TimeBlock.starts_at < end)).order_by(
        TimeBlock.starts_at)
    return whole_page(schema.TimeBlockOut, rows, query.include_inactive, lambda b: block_out(b, ctx))


@endpoint(bp, "POST", "/time-blocks", summary="Block time of a master, room or equipment",
          permission="schedules.write", body=schema.TimeBlockIn, response=schema.TimeBlockOut, status=201)
def create_block(actor, body):
    ctx = SalonContext.load()
    data = body.model_dump()
    data["starts_at"] = instant(body.starts_at, "starts_at", ctx.tz)
    data["ends_at"] = instant(body.ends_at, "ends_at", ctx.tz)
    return block_out(schedules.create_block(actor, data), ctx)


@endpoint(bp, "PATCH", "/time-blocks/<block_id>", summary="Move, resize or remove blocked time",
          permission="schedules.write", body=schema.TimeBlockPatch, response=schema.TimeBlockOut)
def patch_block(actor, block_id, body):
    ctx = SalonContext.load()
    changes = body.changes()
    for name in ("starts_at", "ends_at"):
        if name in changes:
            changes[name] = instant(changes[name], name, ctx.tz)
    return block_out(schedules.update_block(actor, block_id, changes), ctx)


