"""The timesheet (ST4): each person's punches against their planned working hours, day by day.

Planned hours come from the schedules (templates, single-day changes,
absences) in the salon's zone; voided punches do not count. A shift belongs
to the day it started on (see appliance.domain.timesheet).
"""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from appliance.domain import timesheet as rules
from appliance.domain.wallclock import day_bounds, local_interval
from appliance.services.context import SalonContext
from appliance.services.errors import InvalidInput
from appliance.services.lookup import fetch
from appliance.services.punch_corrections import punches_between
from appliance.services.schedules import schedules_for
from appliance.storage.models.base import utc_now
from appliance.storage.models.catalogue import Staff
from appliance.storage.models.time_clock import Card

MAX_DAYS = 62
# Punches this far outside the period are read too: a night shift's clock-in the evening before.
MARGIN = timedelta(hours=24)


@dataclass(frozen=True)
class StaffRow:
    """One person's days of the period and their sums."""

    staff_id: str
    name: str
    days: list
    totals: rules.Totals


@dataclass(frozen=True)
class Timesheet:
    """Staff x days for a period, in the salon's zone."""

    date_from: date
    date_to: date
    tz: ZoneInfo
    grace_min: int
    rows: list
    totals: rules.Totals = field(default_factory=rules.Totals)

    @property
    def days(self) -> list[date]:
        """Every date of the period."""
        return [self.date_from + timedelta(days=n) for n in range((self.date_to - self.date_from).days + 1)]


def staff_name(staff: Staff) -> str:
    """First and last name."""
    return " ".join(p for p in (staff.first_name, staff.last_name) if p)


def _check_period(date_from: date, date_to: date) -> None:
    if date_to < date_from:
        raise InvalidInput("date_to", "is before date_from")
    if (date_to - date_from).days >= MAX_DAYS:
        raise InvalidInput("date_to", f"a timesheet covers at most {MAX_DAYS} days")


def _default_staff(punched: set) -> list[Staff]:
    """Active staff who are planned (masters), hold a card, or punched in the period."""
    carded = {c.staff_id for c in Card.select(Card.staff).where(Card.staff.is_null(False) & (Card.active == True))}  # noqa: E712
    rows = Staff.select().where(Staff.active == True).order_by(  # noqa: E712
        Staff.sort_order, Staff.last_name, Staff.first_name)
    return [s for s in rows if s.bookable or s.id in carded or s.id in punched]


def _plan(schedule, days, tz) -> tuple[dict, dict]:
    planned, absences = {}, {}
    for day in days:
        planned[day] = [local_interval(day, start, end, tz) for start, end in schedule.intervals_on(day)]
        reason = next((a.reason for a in schedule.absences if a.covers(day)), None)
        if reason:
            absences[day] = reason
    return planned, absences


def build_timesheet(date_from: date, date_to: date, staff_ids=None, now: datetime | None = None,
                    grace_min: int = rules.GRACE_MIN) -> Timesheet:
    """The timesheet of ``date_from``..``date_to`` (at most 62 days) for the given or the usual staff."""
    _check_period(date_from, date_to)
    ctx = SalonContext.load()
    now = now or utc_now()
    if staff_ids:
        people = [fetch(Staff, sid, field=f"staff_id.{n}") for n, sid in enumerate(staff_ids)]
    else:
        people = None
    start, end = day_bounds(date_from, ctx.tz)[0], day_bounds(date_to, ctx.tz)[1]
    punches = punches_between(start - MARGIN, end + MARGIN, [p.id for p in people] if people else None,
                              include_voided=False)
    people = people or _default_staff({p.staff_id for p in punches if start <= p.at < end})
    by_staff = {}
    for punch in punches:
        by_staff.setdefault(punch.staff_id, []).append(rules.Punch(punch.at, punch.kind))
    sheet = Timesheet(date_from, date_to, ctx.tz, grace_min, [])
    schedules = schedules_for([p.id for p in people], date_from, date_to)
    for person in people:
        planned, absences = _plan(schedules[person.id], sheet.days, ctx.tz)
        reports = rules.timesheet_days(by_staff.get(person.id, []), planned, sheet.days, ctx.tz, now,
                                       grace_min, absences)
        totals = rules.Totals()
        for report in reports:
            totals.add(report)
            sheet.totals.add(report)
        sheet.rows.append(StaffRow(person.id, staff_name(person), reports, totals))
    return sheet
