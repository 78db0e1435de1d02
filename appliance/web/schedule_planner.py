"""The month planner's model: the calendar grid of one master's days, and the forms' hours.

Plain functions over use-case results; the views in routes_schedules.py
render them.
"""
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from babel.dates import format_date, get_day_names
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from appliance.domain import schedule as rules
from appliance.web.form_support import Form, clock_text

REASON_LABELS = {
    "vacation": _l("Vacation"), "sick_leave": _l("Sick leave"), "unpaid_leave": _l("Unpaid leave"),
    "absence_without_leave": _l("Absence without leave"), "training": _l("Training"), "other": _l("Other"),
}
FIVE_TWO = [[["09:00", "18:00"]]] * 5 + [[], []]
TWO_TWO = [[["09:00", "21:00"]], [["09:00", "21:00"]], [], []]


@dataclass
class DayCell:
    """One square of the month grid."""

    day: date
    in_month: bool
    today: bool
    state: str  # work, off, absence, unset (no template in force)
    source: str  # template, change, absence, none
    intervals: list = field(default_factory=list)  # [("09:00", "18:00"), ...]
    minutes: int = 0
    reason: str | None = None
    bookings: int = 0  # bookings of the master that day
    outside: bool = False  # an open booking lies outside the working hours


def parse_month(text: str | None, today: date) -> date:
    """The first day of the month "YYYY-MM" (this month if missing or wrong)."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        if 2000 <= year <= 2199:
            return date(year, month, 1)
    except ValueError:
        pass
    return today.replace(day=1)


def add_months(first: date, count: int) -> date:
    index = first.year * 12 + first.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_bounds(first: date) -> tuple[date, date]:
    """The first and last day of the month."""
    return first, add_months(first, 1) - timedelta(days=1)


def grid_bounds(first: date, first_weekday: int) -> tuple[date, date]:
    """The whole weeks (starting on ``first_weekday``, 0 = Monday) that hold the month."""
    _, last = month_bounds(first)
    start = first - timedelta(days=(first.weekday() - first_weekday) % 7)
    end = last + timedelta(days=(first_weekday + 6 - last.weekday()) % 7)
    return start, end


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _span(start: time, end: time) -> int:
    return (_minutes(end) or 24 * 60) - _minutes(start)


def day_cell(schedule: rules.StaffSchedule, day: date, first: date, today: date) -> DayCell:
    """What the planner shows for one date, and why (absence > single-day change > template)."""
    cell = DayCell(day=day, in_month=(day.month == first.month), today=(day == today), state="unset", source="none")
    absence = next((a for a in schedule.absences if a.covers(day)), None)
    if absence is not None:
        cell.state, cell.source, cell.reason = "absence", "absence", absence.reason
        return cell
    intervals = schedule.intervals_on(day)
    if day in schedule.day_changes:
        cell.source = "change"
    elif any(p.covers(day) for p in schedule.patterns):
        cell.source = "template"
    else:
        return cell
    cell.state = "work" if intervals else "off"
    cell.intervals = [(s.strftime("%H:%M"), e.strftime("%H:%M")) for s, e in intervals]
    cell.minutes = sum(_span(s, e) for s, e in intervals)
    return cell


def month_weeks(schedule: rules.StaffSchedule, first: date, first_weekday: int, today: date) -> list[list[DayCell]]:
    """The month grid, week by week."""
    start, end = grid_bounds(first, first_weekday)
    cells, day = [], start
    while day <= end:
        cells.append(day_cell(schedule, day, first, today))
        day += timedelta(days=1)
    return [cells[i:i + 7] for i in range(0, len(cells), 7)]


def weekday_order(first_weekday: int) -> list[int]:
    """Weekday numbers (0 = Monday) in the order the locale's week runs."""
    return [(first_weekday + i) % 7 for i in range(7)]


def weekday_names(width: str = "abbreviated") -> dict[int, str]:
    """Weekday names in the interface language, 0 = Monday."""
    return {k: v[:1].upper() + v[1:] for k, v in get_day_names(width, locale=get_locale()).items()}


def month_title(first: date) -> str:
    """Like "March 2026" in the interface language."""
    text = format_date(first, "LLLL y", locale=get_locale())
    return text[:1].upper() + text[1:]


def hours_text(minutes: int) -> str:
    """Minutes as "7 h" or "7 h 30 min"."""
    hours, rest = divmod(minutes, 60)
    return _("%(h)d h %(m)02d min", h=hours, m=rest) if rest else _("%(h)d h", h=hours)


# forms ---------------------------------------------------------------------------------------------

def read_hours(form: Form, prefix: str = "") -> list | None:
    """Working hours with an optional break from ``{prefix}start``, ``end``, ``break_start``, ``break_end``."""
    start = form.clock(f"{prefix}start")
    end = form.clock(f"{prefix}end")
    break_start = form.clock(f"{prefix}break_start", required=False)
    break_end = form.clock(f"{prefix}break_end", required=False)
    if start is None or end is None:
        return None
    if end == 0:
        end = 24 * 60  # 00:00 as the end is midnight
    if end <= start:
        form.error(f"{prefix}end", _("The end must be after the start."))
        return None
    if (break_start is None) != (break_end is None):
        missing = f"{prefix}break_end" if break_end is None else f"{prefix}break_start"
        if form.raw(missing) == "":
            form.error(missing, _("Give both ends of the break, or neither."))
        return None
    if break_start is None:
        return [[clock_text(start), clock_text(end)]]
    if not start < break_start < end:
        form.error(f"{prefix}break_start", _("The break must start within the working hours."))
        return None
    if not break_start < break_end < end:
        form.error(f"{prefix}break_end", _("The break must end after it starts and before the day ends."))
        return None
    return [[clock_text(start), clock_text(break_start)], [clock_text(break_end), clock_text(end)]]


def hours_values(intervals, prefix: str = "") -> dict:
    """Form values showing ``intervals`` as start, end and one break."""
    if not intervals:
        return {}
    values = {f"{prefix}start": intervals[0][0], f"{prefix}end": intervals[-1][1]}
    if len(intervals) > 1:
        values.update({f"{prefix}break_start": intervals[0][1], f"{prefix}break_end": intervals[1][0]})
    return values


def weekly_values(days) -> dict:
    """The custom weekly form filled from a weekly template (7 days, Monday first)."""
    values = {}
    for index, intervals in enumerate(days):
        if intervals:
            values[f"w{index}_on"] = "1"
            values.update(hours_values(intervals, f"w{index}_"))
        else:
            values.update(hours_values([["09:00", "18:00"]], f"w{index}_"))
    return values


def cycle_values(days) -> dict:
    """The custom cycle form (N days on, M off, same hours) filled from a cycle."""
    on = next((i for i, d in enumerate(days) if not d), len(days))
    working = [d for d in days if d]
    values = {"c_on": str(on), "c_off": str(len(days) - on)}
    values.update(hours_values(working[0] if working else [["09:00", "21:00"]], "c_"))
    return values


def read_template(form: Form, preset: str) -> tuple[str, str, list] | None:
    """The (kind, name, days) a template form describes."""
    if preset == "5/2":
        return rules.WEEKLY, "5/2", FIVE_TWO
    if preset == "2/2":
        return rules.CYCLE, "2/2", TWO_TWO
    if preset == "weekly":
        days = []
        for index in range(7):
            if form.flag(f"w{index}_on"):
                days.append(read_hours(form, f"w{index}_"))
            else:
                days.append([])
        if not any(days) and form.ok:
            form.error("w_days", _("Tick at least one working day."))
        return (rules.WEEKLY, "", days) if form.ok else None
    if preset == "cycle":
        on = form.integer("c_on", 1, 27)
        off = form.integer("c_off", 1, 27)
        if on is not None and off is not None and on + off > 28:
            form.error("c_off", _("A cycle lasts at most 28 days."))
        hours = read_hours(form, "c_")
        if not form.ok:
            return None
        return rules.CYCLE, f"{on}/{off}", [hours] * on + [[]] * off
    form.error("preset", _("Choose a template."))
    return None


def template_summary(kind: str, days: list) -> str:
    """A short description of a template: "Mon–Fri 09:00–18:00; Sat 10:00–16:00", or the cycle."""
    def hours(intervals):
        return ", ".join(f"{a}–{b}" for a, b in intervals)

    if kind == rules.CYCLE:
        on = sum(1 for d in days if d)
        working = next((d for d in days if d), [])
        if days[:on] == [d for d in days if d] and all(d == working for d in days[:on]):
            label = _("%(on)d on, %(off)d off", on=on, off=len(days) - on)
        else:
            label = _("%(n)d-day cycle", n=len(days))
        return f"{label}: {hours(working)}" if working else label
    names = weekday_names()
    runs = []  # [first weekday, last weekday, intervals]
    for index, intervals in enumerate(days):
        if runs and runs[-1][2] == intervals and runs[-1][1] == index - 1:
            runs[-1][1] = index
        else:
            runs.append([index, index, intervals])
    parts = [(names[a] if a == b else f"{names[a]}–{names[b]}") + " " + hours(d) for a, b, d in runs if d]
    return "; ".join(parts) or _("no working days")
