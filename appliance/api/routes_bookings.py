"""The journal: bookings, recurring series, group events and nearest free time."""
from datetime import timedelta

from flask import Blueprint

from appliance.api.framework import endpoint, fields_renamed, instant
from appliance.api.schemas import bookings as schema
from appliance.api.views import booking_out, bookings_out, group_event_out, local
from appliance.services import bookings, group_events, series, visit_cards
from appliance.services.availability import free_slots
from appliance.services.calendar import data_version
from appliance.services.context import SalonContext
from appliance.services.errors import InvalidInput
from appliance.services.lookup import fetch
from appliance.services.reference_rows import ReferenceRows
from appliance.storage.models.base import utc_now
from appliance.storage.models.bookings import Booking, BookingItem, GroupEvent

bp = Blueprint("bookings", __name__)
MAX_WINDOW = timedelta(days=62)


def _window(query, ctx):
    start = instant(query.starts_from, "starts_from", ctx.tz)
    end = instant(query.starts_before, "starts_before", ctx.tz)
    if end <= start or end - start > MAX_WINDOW:
        raise InvalidInput("starts_before", "must be after starts_from and within 62 days of it")
    return start, end


@endpoint(bp, "GET", "/bookings", summary="Bookings starting in a window (the journal)",
          permission="bookings.read", query=schema.BookingQuery, response=schema.BookingList)
def list_bookings(actor, query):
    ctx = SalonContext.load()
    start, end = _window(query, ctx)
    rows = Booking.select().where((Booking.starts_at >= start) & (Booking.starts_at < end))
    if query.master_id:
        rows = rows.where(Booking.id.in_(BookingItem.select(BookingItem.booking).where(
            BookingItem.master.in_(query.master_id) & (BookingItem.active == True))))  # noqa: E712
    if query.client_id:
        rows = rows.where(Booking.client == query.client_id)
    if query.status:
        rows = rows.where(Booking.status.in_(query.status))
    return schema.BookingList(items=bookings_out(list(rows.order_by(Booking.starts_at, Booking.id)), ctx))


@endpoint(bp, "GET", "/bookings/<booking_id>", summary="One booking", permission="bookings.read",
          response=schema.BookingOut)
def get_booking(actor, booking_id):
    return booking_out(fetch(Booking, booking_id), SalonContext.load())


def _booking_data(body, ctx) -> dict:
    data = body.model_dump()
    data["starts_at"] = instant(body.starts_at, "starts_at", ctx.tz)
    return data


@endpoint(bp, "POST", "/bookings", summary="Book one or more services in sequence; 409 names any clash",
          permission="bookings.write", body=schema.BookingIn, response=schema.BookingOut, status=201,
          conflicts=True)
def create_booking(actor, body):
    # No read snapshot around the plan: with the reference rows kept per version it mostly reads two
    # rows (the version, the client), microseconds apart, and the snapshot's BEGIN and COMMIT cost
    # more than they saved (3.04 M against 2.95 M instructions a booking). The write checks the
    # clashes again under the lock; rows kept for a version are never older than the version.
    refs = ReferenceRows.current()
    ctx = refs.salon_context()
    plan = bookings.plan_booking(_booking_data(body, ctx), refs)
    return booking_out(bookings.create_booking(actor, plan=plan), ctx)


@endpoint(bp, "PATCH", "/bookings/<booking_id>", summary="Move, reassign, resize or re-item a booking",
          permission="bookings.write", body=schema.BookingPatch, response=schema.BookingsOut, conflicts=True)
def patch_booking(actor, booking_id, body):
    ctx = SalonContext.load()
    changes = body.changes()
    scope = changes.pop("scope", "this")
    if "starts_at" in changes:
        changes["starts_at"] = instant(body.starts_at, "starts_at", ctx.tz)
    if scope == "following":
        changed = series.update_following(actor, booking_id, changes)
    else:
        changed = [bookings.update_booking(actor, booking_id, changes)]
    return schema.BookingsOut(items=bookings_out(changed, ctx))


@endpoint(bp, "POST", "/bookings/<booking_id>/status", summary="Change status (cancel and no-show need a reason)",
          permission="bookings.write", body=schema.StatusIn, response=schema.BookingsOut, conflicts=True)
def set_status(actor, booking_id, body):
    ctx = SalonContext.load()
    if body.scope == "following":
        changed = series.cancel_following(actor, booking_id, body.status, body.reason)
    else:
        changed = [bookings.set_status(actor, booking_id, body.status, body.reason)]
    return schema.BookingsOut(items=bookings_out(changed, ctx))


@endpoint(bp, "GET", "/bookings/<booking_id>/history", summary="Every change to the booking",
          permission="bookings.read", response=schema.BookingHistory)
def booking_history(actor, booking_id):
    ctx = SalonContext.load()
    return schema.BookingHistory(items=[schema.BookingEventOut(
        id=e.id, kind=e.kind, from_status=e.from_status, to_status=e.to_status, reason=e.reason,
        changes=e.changes, actor_kind=e.actor_kind, actor_id=e.actor_id, at=local(e.created_at, ctx))
        for e in bookings.history(booking_id)])


@endpoint(bp, "POST", "/booking-series", summary="Book the same visit every N days or weeks",
          permission="bookings.write", body=schema.SeriesIn, response=schema.SeriesOut, status=201,
          conflicts=True)
def create_series(actor, body):
    ctx = SalonContext.load()
    data = _booking_data(body, ctx)
    options = {k: data.pop(k) for k in ("every", "unit", "count", "skip_conflicts")}
    made_series, made, skipped = series.create_series(actor, data, **options)
    return schema.SeriesOut(
        id=made_series.id, every=made_series.every, unit=made_series.unit, count=made_series.count,
        bookings=bookings_out(made, ctx),
        skipped=[schema.SkippedOccurrence(occurrence=s["occurrence"], starts_at=local(s["starts_at"], ctx),
                                          reasons=[c["reason"] for c in s["conflicts"]]) for s in skipped])


@endpoint(bp, "GET", "/slots", summary="Nearest free time for one or more services (any or a chosen master)",
          permission="availability.read", query=schema.SlotQuery, response=schema.Slots)
def list_slots(actor, query):
    ctx = SalonContext.load()
    masters = query.master_id or ["any"] * len(query.service_id)
    if len(masters) != len(query.service_id):
        raise InvalidInput("master_id", "give one per service_id (or 'any')")
    requested = [(s, None if m == "any" else m) for s, m in zip(query.service_id, masters)]
    start = instant(query.starts_from, "starts_from", ctx.tz) or utc_now()
    with fields_renamed(r"^services\.(\d+)\.(service_id|master_id)$", r"\2.\1"):  # query lists, not body items
        found = free_slots(requested, start, query.days, query.limit)
    return schema.Slots(items=[schema.Slot(
        starts_at=local(s["starts_at"], ctx),
        items=[schema.SlotItem(**{**i, "starts_at": local(i["starts_at"], ctx), "ends_at": local(i["ends_at"], ctx)})
               for i in s["items"]]) for s in found])


@endpoint(bp, "GET", "/group-events", summary="Group events starting in a window", permission="bookings.read",
          query=schema.GroupEventQuery, response=schema.GroupEvents)
def list_group_events(actor, query):
    ctx = SalonContext.load()
    start, end = _window(query, ctx)
    rows = GroupEvent.select().where((GroupEvent.starts_at >= start) & (GroupEvent.starts_at < end)
                                     & (GroupEvent.active == True)).order_by(GroupEvent.starts_at)  # noqa: E712
    return schema.GroupEvents(items=[group_event_out(e, ctx) for e in rows])


@endpoint(bp, "POST", "/group-events", summary="Schedule a class with a capacity", permission="group_events.write",
          body=schema.GroupEventIn, response=schema.GroupEventOut, status=201, conflicts=True)
def create_group_event(actor, body):
    ctx = SalonContext.load()
    with fields_renamed(r"^event\.0\.", ""):  # the use case plans the event as item 0 of a visit
        event = group_events.create_event(actor, _booking_data(body, ctx))
    return group_event_out(event, ctx)


@endpoint(bp, "GET", "/group-events/<event_id>", summary="One group event with attendees",
          permission="bookings.read", response=schema.GroupEventOut)
def get_group_event(actor, event_id):
    return group_event_out(fetch(GroupEvent, event_id), SalonContext.load())


@endpoint(bp, "POST", "/group-events/<event_id>/cancel", summary="Cancel a class",
          permission="group_events.write", body=schema.CancelIn, response=schema.GroupEventOut)
def cancel_group_event(actor, event_id, body):
    return group_event_out(group_events.cancel_event(actor, event_id, body.reason), SalonContext.load())


@endpoint(bp, "POST", "/group-events/<event_id>/attendees", summary="Sign a client up (409 when full)",
          permission="bookings.write", body=schema.SignUpIn, response=schema.GroupEventOut, status=201,
          conflicts=True)
def sign_up(actor, event_id, body):
    group_events.sign_up(actor, event_id, body.client_id)
    return group_event_out(fetch(GroupEvent, event_id), SalonContext.load())


@endpoint(bp, "POST", "/group-events/<event_id>/attendees/<client_id>/status",
          summary="Mark an attendee arrived, cancelled or no-show", permission="bookings.write",
          body=schema.AttendeeStatusIn, response=schema.GroupEventOut)
def attendee_status(actor, event_id, client_id, body):
    group_events.set_attendee_status(actor, event_id, client_id, body.status)
    return group_event_out(fetch(GroupEvent, event_id), SalonContext.load())


@endpoint(bp, "GET", "/journal/version", summary="A marker that changes when the journal should be reloaded",
          permission="bookings.read", response=schema.JournalVersionOut)
def journal_version(actor):
    return schema.JournalVersionOut(version=data_version())


@endpoint(bp, "POST", "/bookings/<booking_id>/visit-card", summary="Print the booking's visit card (with its QR code)",
          permission="printing.use", body=schema.VisitCardIn, response=schema.PrintJobOut, status=202,
          conflicts=True)
def print_visit_card(actor, booking_id, body):
    job = visit_cards.print_visit_card(actor, booking_id, body.language)
    return schema.PrintJobOut(id=job.id, state=job.state, printer_id=job.printer_id)
