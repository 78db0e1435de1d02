"""Punches against the plan (ST4): worked, planned, late, early and overtime minutes per day.

Plain data in, plain data out. Times are aware datetimes; the salon's zone
decides which day a shift belongs to: the local date of its clock-in, so a
night shift (20:00-04:00) counts on the day it started. Punches are counted
to the whole minute (seconds dropped), so every figure is an exact number
of minutes and the figures add up.

Definitions, per day, with P the planned intervals and W the closed shifts:

- worked = the sum of the closed shifts' lengths;
- within_plan = |W ∩ P|; overtime = worked - within_plan, the time worked
  outside the plan;
- late = the planned time before the first clock-in; early = the planned
  time after the last clock-out (unknown, so 0, while the last shift is open);
- late, early and overtime under the grace period count as 0;
- late + early + within_plan <= planned always (they are disjoint parts of P).
"""
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from appliance.domain.time_clock import FORGOTTEN_AFTER, IN, OUT

GRACE_MIN = 5


@dataclass(frozen=True)
class Punch:
    """A valid (not voided) clock-in or clock-out."""

    at: datetime
    kind: str


@dataclass(frozen=True)
class Shift:
    """A clock-in and its clock-out; ``end`` None when nobody clocked out (yet)."""

    start: datetime
    end: datetime | None
    superseded: bool = False  # open, and another clock-in came after it: surely a missing clock-out

    def open_too_long(self, now: datetime, forgotten_after: timedelta = FORGOTTEN_AFTER) -> bool:
        """An open shift nobody will close by clocking out any more."""
        return self.end is None and (self.superseded or now - self.start >= forgotten_after)


@dataclass(frozen=True)
class DayReport:
    """One person's day compared with the plan."""

    day: date
    shifts: tuple = ()
    stray_outs: tuple = ()  # clock-outs with no clock-in before them
    planned_min: int = 0
    worked_min: int = 0
    within_plan_min: int = 0
    late_min: int = 0
    early_min: int = 0
    overtime_min: int = 0
    missing_out: bool = False  # a shift left open longer than a shift can be
    on_shift: bool = False  # clocked in and not out yet, recently enough to be at work now
    absence: str | None = None  # vacation, sick_leave... from the schedule

    @property
    def missing_in(self) -> bool:
        """A clock-out without a clock-in."""
        return bool(self.stray_outs)

    @property
    def absent(self) -> bool:
        """Planned to work, no punch at all."""
        return self.planned_min > 0 and not self.shifts and not self.stray_outs


@dataclass
class Totals:
    """Sums over several days."""

    planned_min: int = 0
    worked_min: int = 0
    late_min: int = 0
    early_min: int = 0
    overtime_min: int = 0
    days_worked: int = 0
    missing_punches: int = 0
    days_absent: int = 0

    def add(self, report: DayReport) -> None:
        """Count one more day in."""
        self.planned_min += report.planned_min
        self.worked_min += report.worked_min
        self.late_min += report.late_min
        self.early_min += report.early_min
        self.overtime_min += report.overtime_min
        self.days_worked += 1 if report.worked_min or report.on_shift else 0
        self.missing_punches += int(report.missing_out) + len(report.stray_outs)
        self.days_absent += 1 if report.absent else 0


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def _minutes(span: timedelta) -> int:
    return int(span.total_seconds()) // 60


def pair_punches(punches) -> tuple[list[Shift], list[datetime]]:
    """Shifts from punches in time order: each in with the next out; an in after an in leaves the first open."""
    shifts, strays, open_at = [], [], None
    for punch in sorted(punches, key=lambda p: (p.at, p.kind != IN)):
        at = _minute(punch.at)
        if punch.kind == IN:
            if open_at is not None:
                shifts.append(Shift(open_at, None, superseded=True))
            open_at = at
        elif punch.kind == OUT:
            if open_at is None:
                strays.append(at)
            else:
                shifts.append(Shift(open_at, at))
                open_at = None
    if open_at is not None:
        shifts.append(Shift(open_at, None))
    return shifts, strays


def _overlap(start: datetime, end: datetime, intervals) -> int:
    """Minutes of [start, end) covered by the (disjoint) intervals."""
    return sum(max(0, _minutes(min(end, b) - max(start, a))) for a, b in intervals)


def _union(intervals) -> list[tuple[datetime, datetime]]:
    merged = []
    for start, end in sorted((_minute(a), _minute(b)) for a, b in intervals if b > a):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _graced(minutes: int, grace_min: int) -> int:
    return minutes if minutes > grace_min else 0


def day_report(day: date, shifts, stray_outs, planned, now: datetime, grace_min: int = GRACE_MIN,
               absence: str | None = None, forgotten_after: timedelta = FORGOTTEN_AFTER) -> DayReport:
    """Compare one day's shifts (those that started that day) with its planned intervals."""
    plan = _union(planned)
    planned_min = sum(_minutes(b - a) for a, b in plan)
    closed = [s for s in shifts if s.end is not None]
    worked = sum(_minutes(s.end - s.start) for s in closed)
    within = sum(_overlap(s.start, s.end, plan) for s in closed)
    open_shifts = [s for s in shifts if s.end is None]
    missing = [s for s in open_shifts if s.open_too_long(now, forgotten_after)]
    late = early = 0
    if shifts and plan:
        first_in = min(s.start for s in shifts)
        late = _overlap(plan[0][0], first_in, plan)
        last = max(shifts, key=lambda s: s.start)
        if last.end is not None:
            early = _overlap(max(last.end, first_in), plan[-1][1], plan)
    return DayReport(
        day=day, shifts=tuple(sorted(shifts, key=lambda s: s.start)), stray_outs=tuple(sorted(stray_outs)),
        planned_min=planned_min, worked_min=worked, within_plan_min=within,
        late_min=_graced(late, grace_min), early_min=_graced(early, grace_min),
        overtime_min=_graced(worked - within, grace_min),
        missing_out=bool(missing), on_shift=len(missing) < len(open_shifts),
        absence=absence)


def timesheet_days(punches, planned_by_day: dict, days, tz: ZoneInfo, now: datetime,
                   grace_min: int = GRACE_MIN, absences: dict | None = None) -> list[DayReport]:
    """One DayReport per day of ``days``; punches may reach beyond them (a night shift's ends)."""
    shifts, strays = pair_punches(punches)
    by_day, strays_by_day = {}, {}
    for shift in shifts:
        by_day.setdefault(shift.start.astimezone(tz).date(), []).append(shift)
    for at in strays:
        strays_by_day.setdefault(at.astimezone(tz).date(), []).append(at)
    absences = absences or {}
    return [day_report(day, by_day.get(day, []), strays_by_day.get(day, []), planned_by_day.get(day, []),
                       now, grace_min, absences.get(day)) for day in days]
