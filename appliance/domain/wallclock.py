"""Salon wall-clock time versus stored UTC instants.

Everything is stored in UTC; a salon's time zone is applied at the edges.
Local times that do not exist (spring-forward gap) or exist twice (fall-back
fold) are refused rather than guessed, so a booking never silently moves.
"""
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

UTC = timezone.utc


class LocalTimeError(ValueError):
    """A wall-clock time that does not map to exactly one instant."""


def zone(name: str) -> ZoneInfo:
    """Return the IANA zone ``name`` or raise LocalTimeError."""
    if name not in available_timezones():
        raise LocalTimeError(f"unknown time zone {name!r}")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise LocalTimeError(f"unknown time zone {name!r}") from None


def is_nonexistent(naive: datetime, tz: ZoneInfo) -> bool:
    """True if ``naive`` falls in a gap skipped by a DST change in ``tz``."""
    roundtrip = naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)
    return roundtrip.replace(tzinfo=None) != naive


def is_ambiguous(naive: datetime, tz: ZoneInfo) -> bool:
    """True if ``naive`` happens twice in ``tz`` (clocks set back)."""
    first = naive.replace(tzinfo=tz, fold=0).utcoffset()
    second = naive.replace(tzinfo=tz, fold=1).utcoffset()
    return first != second


def local_to_utc(naive: datetime, tz: ZoneInfo) -> datetime:
    """Convert a salon wall-clock time to an aware UTC instant, strictly."""
    if is_nonexistent(naive, tz):
        raise LocalTimeError(f"{naive:%Y-%m-%d %H:%M} does not exist in {tz.key} (clocks go forward)")
    if is_ambiguous(naive, tz):
        raise LocalTimeError(
            f"{naive:%Y-%m-%d %H:%M} happens twice in {tz.key} (clocks go back); give a UTC offset"
        )
    return naive.replace(tzinfo=tz).astimezone(UTC)


def lenient_local_to_utc(naive: datetime, tz: ZoneInfo) -> datetime:
    """Convert wall-clock to UTC for schedule edges: gaps move forward, folds take the first."""
    if is_nonexistent(naive, tz):
        return naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    return naive.replace(tzinfo=tz, fold=0).astimezone(UTC)


def as_utc(value: datetime, tz: ZoneInfo) -> datetime:
    """Aware datetimes are converted; naive ones are read as salon wall-clock."""
    try:
        if value.tzinfo is None:
            return local_to_utc(value, tz)
        return value.astimezone(UTC)
    except OverflowError:
        raise LocalTimeError(f"{value.isoformat()} is out of range") from None


def to_local(instant: datetime, tz: ZoneInfo) -> datetime:
    """Show a stored UTC instant in the salon's zone."""
    return instant.astimezone(tz)


def day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """UTC instants of local midnight at the start and end of ``day``."""
    start = lenient_local_to_utc(datetime.combine(day, time(0)), tz)
    end = lenient_local_to_utc(datetime.combine(day + timedelta(days=1), time(0)), tz)
    return start, end


def local_interval(day: date, start: time, end: time, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """UTC instants of a wall-clock interval on ``day``; an end of 00:00 means midnight next day."""
    end_day = day + timedelta(days=1) if end <= start else day
    return (
        lenient_local_to_utc(datetime.combine(day, start), tz),
        lenient_local_to_utc(datetime.combine(end_day, end), tz),
    )
