"""Recurring bookings (BK4): occurrences keep their wall-clock time across DST changes (BK13)."""
from datetime import timedelta

from appliance.domain import booking_rules as rules
from appliance.domain.wallclock import LocalTimeError, local_to_utc, to_local
from appliance.services.bookings import create_booking, set_status, update_booking
from appliance.services.context import Actor, SalonContext
from appliance.services.errors import Conflict, InvalidInput
from appliance.services.lookup import fetch
from appliance.storage.database import write_transaction
from appliance.storage.models.bookings import Booking, BookingSeries

UNITS = {"day": 1, "week": 7}
MAX_OCCURRENCES = 52


def occurrence_starts(first_start, every: int, unit: str, count: int, tz) -> list:
    """UTC starts of each occurrence: same local wall-clock time, every N days or weeks."""
    local = to_local(first_start, tz).replace(tzinfo=None)
    starts = []
    for k in range(count):
        wall = local + timedelta(days=k * every * UNITS[unit])
        try:
            starts.append(local_to_utc(wall, tz))
        except LocalTimeError as exc:
            raise InvalidInput("starts_at", f"occurrence {k + 1}: {exc}") from None
    return starts


def create_series(actor: Actor, data: dict, every: int, unit: str, count: int,
                  skip_conflicts: bool = False) -> tuple[BookingSeries, list[Booking], list[dict]]:
    """Book the same visit every N days/weeks; all or nothing unless ``skip_conflicts``.

    Returns the series, the bookings made and the occurrences skipped with
    their conflicts.
    """
    if unit not in UNITS:
        raise InvalidInput("unit", "must be day or week")
    if not 2 <= count <= MAX_OCCURRENCES:
        raise InvalidInput("count", f"must be between 2 and {MAX_OCCURRENCES}")
    if every < 1:
        raise InvalidInput("every", "must be at least 1")
    ctx = SalonContext.load()
    starts = occurrence_starts(data["starts_at"], every, unit, count, ctx.tz)
    made, skipped = [], []
    with write_transaction():
        series = BookingSeries.create(every=every, unit=unit, count=count)
        for number, start in enumerate(starts, 1):
            try:
                made.append(create_booking(actor, {**data, "starts_at": start}, series_id=series.id))
            except Conflict as exc:
                if not skip_conflicts:
                    raise Conflict(f"occurrence {number} on {to_local(start, ctx.tz):%Y-%m-%d %H:%M}: "
                                   f"{exc.message}", [{**c, "occurrence": number} for c in exc.conflicts],
                                   code=exc.code) from None
                skipped.append({"occurrence": number, "starts_at": start, "conflicts": exc.conflicts})
        if not made:
            raise Conflict("no occurrence of the series is free", [], code="booking_conflict")
    return series, made, skipped


def following(booking: Booking) -> list[Booking]:
    """This occurrence and the later ones of its series that can still change."""
    if booking.series_id is None:
        return [booking]
    return list(Booking.select().where((Booking.series == booking.series_id)
                                       & (Booking.starts_at >= booking.starts_at)
                                       & Booking.status.not_in(rules.FINAL)).order_by(Booking.starts_at))


def update_following(actor: Actor, booking_id: str, changes: dict) -> list[Booking]:
    """Apply a move to this and all following occurrences, shifted by the same wall-clock amount."""
    ctx = SalonContext.load()
    booking = fetch(Booking, booking_id)
    targets = following(booking)
    shift = None
    if changes.get("starts_at"):
        shift = to_local(changes["starts_at"], ctx.tz).replace(tzinfo=None) - \
            to_local(booking.starts_at, ctx.tz).replace(tzinfo=None)
    updated = []
    with write_transaction():
        for occurrence in targets:
            # Item ids belong to one occurrence, so item edits apply to it alone.
            own = dict(changes) if occurrence.id == booking.id else {
                k: v for k, v in changes.items() if k != "items"}
            if shift is not None:
                wall = to_local(occurrence.starts_at, ctx.tz).replace(tzinfo=None) + shift
                own["starts_at"] = local_to_utc(wall, ctx.tz)
            updated.append(update_booking(actor, occurrence.id, own))
    return updated


def cancel_following(actor: Actor, booking_id: str, status: str, reason: str) -> list[Booking]:
    """Set a status (cancelled, usually) on this and all following occurrences."""
    booking = fetch(Booking, booking_id)
    with write_transaction():
        return [set_status(actor, b.id, status, reason) for b in following(booking)]
