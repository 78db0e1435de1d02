"""The time clock (ST4, KI2): cards, the latest unknown tap, punches and their corrections, the timesheet.

Taps themselves do not come through the API: the card reader's process
calls appliance.services.time_clock.handle_tap on the box.
"""
from dataclasses import asdict
from datetime import timedelta

from flask import Blueprint, Response

from appliance.api import framework
from appliance.api.framework import endpoint, instant
from appliance.api.schemas import time_clock as schema
from appliance.api.schemas.common import Page
from appliance.api.views import local
from appliance.domain.wallclock import day_bounds
from appliance.services import cards, punch_corrections, time_clock, timesheet_export
from appliance.services.context import SalonContext
from appliance.services.errors import InvalidInput
from appliance.services.lookup import fetch
from appliance.services.timesheets import MAX_DAYS, build_timesheet
from appliance.storage.models.base import utc_now
from appliance.storage.models.catalogue import Staff

bp = Blueprint("time_clock", __name__)
FILE_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              "csv": "text/csv; charset=utf-8"}


def card_out(card, ctx: SalonContext) -> schema.CardOut:
    """A card with its holder's name; never its hash."""
    return schema.CardOut(
        id=card.id, holder="staff" if card.staff_id else "client", staff_id=card.staff_id, client_id=card.client_id,
        holder_name=cards.holder_name(card), label=card.label, active=card.active,
        enrolled_at=local(card.enrolled_at, ctx), enrolled_by=card.enrolled_by,
        revoked_at=local(card.revoked_at, ctx), revoked_by=card.revoked_by, revoke_reason=card.revoke_reason)


def punch_out(punch, ctx: SalonContext) -> schema.PunchOut:
    """A punch, times in the salon's zone."""
    data = {f: getattr(punch, f) for f in schema.PunchOut.model_fields}
    for name in ("at", "created_at", "voided_at"):
        data[name] = local(data[name], ctx)
    return schema.PunchOut(**data)


def tap_out(tap, ctx: SalonContext) -> schema.TapOut:
    """A tap's outcome, times in the salon's zone."""
    data = {f: getattr(tap, f) for f in schema.TapOut.model_fields}
    data["at"], data["punch_at"] = local(tap.at, ctx), local(tap.punch_at, ctx)
    return schema.TapOut(**data)


@endpoint(bp, "GET", "/cards", summary="Cards with their holders (revoked ones on request)",
          permission="cards.manage", query=schema.CardQuery, response=Page[schema.CardOut])
def list_cards(actor, query):
    ctx = SalonContext.load()
    items = [card_out(c, ctx) for c in cards.list_cards(query.include_revoked, query.staff_id)]
    return Page[schema.CardOut](items=items, total=len(items))


def _holder(body) -> cards.Holder:
    if bool(body.staff_id) == bool(body.client_id):
        raise InvalidInput("staff_id", "give exactly one of staff_id, client_id")
    return cards.Holder("staff", body.staff_id) if body.staff_id else cards.Holder("client", body.client_id)


@endpoint(bp, "POST", "/cards", summary="Enrol a card for a staff member or a client, from a tap or a hash",
          permission="cards.manage", body=schema.CardIn, response=schema.CardOut, status=201)
def enrol_card(actor, body):
    holder = _holder(body)
    if (body.tap_id is None) == (body.uid_hash is None):
        raise InvalidInput("tap_id", "give exactly one of tap_id, uid_hash")
    if body.tap_id is not None:
        card = cards.enrol_from_tap(actor, holder, body.tap_id, body.label)
    else:
        card = cards.enrol_card(actor, holder, body.uid_hash, body.label)
    return card_out(card, SalonContext.load())


@endpoint(bp, "POST", "/cards/<card_id>/revoke", summary="Revoke a card (it stays listed, inactive)",
          permission="cards.manage", body=schema.RevokeIn, response=schema.CardOut, conflicts=True)
def revoke_card(actor, card_id, body):
    return card_out(cards.revoke_card(actor, card_id, body.reason), SalonContext.load())


@endpoint(bp, "GET", "/card-taps/latest-unknown", summary="The latest tap of a card nobody holds (to enrol it)",
          permission="cards.manage", query=schema.LatestTapQuery, response=schema.LatestTap)
def latest_unknown_tap(actor, query):
    found = time_clock.latest_unknown_tap(utc_now() - timedelta(seconds=query.within_s), query.reader)
    return schema.LatestTap(tap=tap_out(found, SalonContext.load()) if found else None)


def _period(query, ctx):
    if query.date_to < query.date_from or (query.date_to - query.date_from).days >= MAX_DAYS:
        raise InvalidInput("date_to", f"must be on or after date_from and within {MAX_DAYS} days")
    for index, staff_id in enumerate(query.staff_id or []):
        fetch(Staff, staff_id, field=f"staff_id.{index}")
    return day_bounds(query.date_from, ctx.tz)[0], day_bounds(query.date_to, ctx.tz)[1]


@endpoint(bp, "GET", "/time-punches", summary="Punches in a period (voided ones too, marked)",
          permission="timeclock.read", query=schema.PunchQuery, response=Page[schema.PunchOut])
def list_punches(actor, query):
    ctx = SalonContext.load()
    start, end = _period(query, ctx)
    rows = punch_corrections.punches_between(start, end, query.staff_id, query.include_voided)
    return Page[schema.PunchOut](items=[punch_out(p, ctx) for p in rows], total=len(rows))


@endpoint(bp, "POST", "/time-punches", summary="Add a missing punch (a correction, with its reason)",
          permission="timeclock.correct", body=schema.PunchIn, response=schema.PunchOut, status=201)
def add_punch(actor, body):
    ctx = SalonContext.load()
    punch = punch_corrections.add_punch(actor, body.staff_id, instant(body.at, "at", ctx.tz), body.kind, body.reason)
    return punch_out(punch, ctx)


@endpoint(bp, "POST", "/time-punches/<punch_id>/void", summary="Void a wrong punch (kept, struck out)",
          permission="timeclock.correct", body=schema.VoidIn, response=schema.PunchOut, conflicts=True)
def void_punch(actor, punch_id, body):
    return punch_out(punch_corrections.void_punch(actor, punch_id, body.reason), SalonContext.load())


@endpoint(bp, "POST", "/time-punches/<punch_id>/move", summary="Change a punch's time: void it and add the new one",
          permission="timeclock.correct", body=schema.MoveIn, response=schema.PunchOut, status=201, conflicts=True)
def move_punch(actor, punch_id, body):
    ctx = SalonContext.load()
    at = instant(body.at, "at", ctx.tz)
    return punch_out(punch_corrections.move_punch(actor, punch_id, at, body.reason), ctx)


def _day_out(report, ctx) -> schema.DayOut:
    data = {f: getattr(report, f) for f in schema.DayOut.model_fields if f not in ("shifts", "stray_outs")}
    return schema.DayOut(**data, stray_outs=[local(at, ctx) for at in report.stray_outs],
                         shifts=[schema.ShiftOut(starts_at=local(s.start, ctx), ends_at=local(s.end, ctx))
                                 for s in report.shifts])


@endpoint(bp, "GET", "/timesheet", summary="Worked, planned, late, early and overtime minutes per person and day",
          permission="timeclock.read", query=schema.PeriodQuery, response=schema.TimesheetOut)
def timesheet(actor, query):
    ctx = SalonContext.load()
    sheet = build_timesheet(query.date_from, query.date_to, query.staff_id)
    return schema.TimesheetOut(
        date_from=sheet.date_from, date_to=sheet.date_to, timezone=ctx.salon.timezone, grace_min=sheet.grace_min,
        totals=schema.TotalsOut(**asdict(sheet.totals)),
        staff=[schema.StaffSheetOut(staff_id=r.staff_id, name=r.name, days=[_day_out(d, ctx) for d in r.days],
                                    totals=schema.TotalsOut(**asdict(r.totals))) for r in sheet.rows])


@bp.get("/timesheet/export")
def export_timesheet():
    """The timesheet as an XLSX or CSV download (``format``), for the accountant.

    Declared by hand: the endpoint helper renders JSON only. It checks the
    caller and the query the same way (its own authentication and parser).
    """
    framework._authenticate("timeclock.read")
    query = framework._parse_query(schema.ExportQuery)
    sheet = build_timesheet(query.date_from, query.date_to, query.staff_id)
    render = timesheet_export.to_xlsx if query.format == "xlsx" else timesheet_export.to_csv
    name = f"timesheet-{sheet.date_from.isoformat()}-{sheet.date_to.isoformat()}.{query.format}"
    return Response(render(sheet), mimetype=FILE_TYPES[query.format],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
