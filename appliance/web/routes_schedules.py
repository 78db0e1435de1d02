"""Staff schedules: the month planner per master (ST2).

One page shows a master's month; its forms set a single day, apply a
template from a date, and record or cancel absences. Every change goes
through the schedules use cases, which write the same tables the journal
reads its working hours from, so the journal shows it at once.
"""
from datetime import date, datetime, timedelta

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from appliance.domain import booking_rules
from appliance.domain import schedule as rules
from appliance.domain.permissions import allowed
from appliance.services import schedules
from appliance.services.errors import ServiceError
from appliance.storage.database import database
from appliance.storage.models.bookings import Booking, BookingItem
from appliance.storage.models.catalogue import Staff
from appliance.storage.models.schedules import Absence, ScheduleDay, WorkPattern
from appliance.web import schedule_planner as plan
from appliance.web.form_support import Form
from appliance.web.i18n import day_text, first_weekday
from appliance.web.session_auth import page

bp = Blueprint("web_schedules", __name__)
MAX_DAYS_AT_ONCE = 61  # a single-day change repeated over at most two months
OPEN_STATUSES = tuple(s for s in booking_rules.HOLDING if s not in booking_rules.FINAL)


def _today() -> date:
    return datetime.now(g.salon_ctx.tz).date()


def _staff_list() -> list[Staff]:
    """Active staff, bookable masters first."""
    rows = Staff.select().where(Staff.active == True).order_by(  # noqa: E712
        Staff.bookable.desc(), Staff.sort_order, Staff.last_name, Staff.first_name)
    return list(rows)


def _chosen_staff(staff_list: list[Staff], staff_id: str | None) -> Staff | None:
    by_id = {s.id: s for s in staff_list}
    if staff_id in by_id:
        return by_id[staff_id]
    if g.staff.id in by_id and g.staff.bookable:
        return by_id[g.staff.id]
    return staff_list[0] if staff_list else None


def _posted_staff(form: Form) -> Staff:
    staff = Staff.get_or_none((Staff.id == form.raw("staff")) & (Staff.active == True))  # noqa: E712
    if staff is None:
        abort(404)
    return staff


def _back(staff_id: str, month: date, day: date | None = None, anchor: str = ""):
    target = url_for(".month", staff=staff_id, month=month.strftime("%Y-%m"),
                     day=day.isoformat() if day else None)
    return redirect(target + (f"#{anchor}" if anchor else ""))


def _month_of(form: Form, fallback: date) -> date:
    return plan.parse_month(form.raw("month"), fallback)


# reading -------------------------------------------------------------------------------------------

def _bookings_by_day(staff_id: str, start: date, end: date) -> dict:
    """Per local date: how many bookings the master has, and whether any open one lies outside the hours."""
    tz = g.salon_ctx.tz
    lower = datetime.combine(start, datetime.min.time(), tz)
    upper = datetime.combine(end + timedelta(days=1), datetime.min.time(), tz)
    items = (BookingItem.select(BookingItem.starts_at, BookingItem.ends_at, Booking.status)
             .join(Booking).where((BookingItem.master == staff_id) & (BookingItem.active == True)  # noqa: E712
                                  & (BookingItem.starts_at >= lower) & (BookingItem.starts_at < upper)
                                  & Booking.status.in_(booking_rules.HOLDING)))
    result = {}
    for item in items.objects():
        starts, ends = item.starts_at.astimezone(tz), item.ends_at.astimezone(tz)
        result.setdefault(starts.date(), []).append((starts.strftime("%H:%M"), ends.strftime("%H:%M"),
                                                     item.status in OPEN_STATUSES))
    return result


def _outside(bookings: list, intervals: list) -> bool:
    """True if an open booking does not fit in the working intervals."""
    for start, end, is_open in bookings:
        if is_open and not any(a <= start and (end <= b or b == "00:00") for a, b in intervals):
            return True
    return False


def _warn_about_bookings(staff_id: str, first: date, last: date) -> None:
    """After a change: say if open bookings now lie outside the master's hours, so they get moved."""
    schedule = schedules.schedules_for([staff_id], first, last)[staff_id]
    days = [day for day, items in sorted(_bookings_by_day(staff_id, first, last).items())
            if first <= day <= last and _outside(items, [(s.strftime("%H:%M"), e.strftime("%H:%M"))
                                                         for s, e in schedule.intervals_on(day)])]
    if days:
        flash(_("Bookings lie outside the working hours on %(days)s: move them in the journal.",
                days=", ".join(_day_text(d) for d in days[:5]) + ("…" if len(days) > 5 else "")), "error")


def _render(staff_id: str | None, month_text: str | None, day_text: str | None,
            forms: dict | None = None, open_template: str = "", status: int = 200):
    forms = forms or {}
    today = _today()
    first = plan.parse_month(month_text, today)
    staff_list = _staff_list()
    staff = _chosen_staff(staff_list, staff_id)
    can_edit = allowed(g.actor.role, "schedules.write")
    context = {"staff_list": staff_list, "staff": staff, "first": first, "today": today,
               "title": plan.month_title(first), "prev_month": plan.add_months(first, -1),
               "next_month": plan.add_months(first, 1), "can_edit": can_edit,
               "reasons": plan.REASON_LABELS, "open_template": open_template}
    if staff is None:
        return render_template("schedules/month.html", **context), status
    fwd = first_weekday()
    start, end = plan.grid_bounds(first, fwd)
    schedule = schedules.schedules_for([staff.id], start, end)[staff.id]
    weeks = plan.month_weeks(schedule, first, fwd, today)
    bookings = _bookings_by_day(staff.id, start, end)
    for week in weeks:
        for cell in week:
            cell.bookings = len(bookings.get(cell.day, []))
            cell.outside = _outside(bookings.get(cell.day, []), cell.intervals)
    in_month = [c for w in weeks for c in w if c.in_month]
    selected = _selected_day(day_text, start, end)
    cell = next((c for w in weeks for c in w if c.day == selected), None) if selected else None
    change = None
    if selected:
        change = ScheduleDay.get_or_none((ScheduleDay.staff == staff.id) & (ScheduleDay.day == selected)
                                         & (ScheduleDay.active == True))  # noqa: E712
    _, last = plan.month_bounds(first)
    patterns = list(WorkPattern.select().where(
        (WorkPattern.staff == staff.id) & (WorkPattern.active == True)  # noqa: E712
        & ((WorkPattern.valid_until.is_null()) | (WorkPattern.valid_until >= first - timedelta(days=62))))
        .order_by(WorkPattern.valid_from))
    absences = list(Absence.select().where(
        (Absence.staff == staff.id) & (Absence.active == True) & (Absence.date_to >= first))  # noqa: E712
        .order_by(Absence.date_from))
    default_from = selected or (today if first <= today <= last else first)
    context.update(
        weeks=weeks, weekdays=[(i, plan.weekday_names()[i]) for i in plan.weekday_order(fwd)],
        weekday_full=plan.weekday_names("wide"), weekday_rows=plan.weekday_order(fwd),
        work_days=sum(1 for c in in_month if c.state == "work"),
        work_hours=plan.hours_text(sum(c.minutes for c in in_month)),
        absent_days=sum(1 for c in in_month if c.state == "absence"),
        selected=selected, cell=cell, change=change,
        patterns=[(p, plan.template_summary(p.kind, p.days)) for p in patterns],
        absences=absences,
        day_form=forms.get("day") or _day_defaults(cell, change, schedule),
        template_form=forms.get("template") or _template_defaults(patterns, default_from),
        absence_form=forms.get("absence") or _absence_defaults(default_from),
    )
    return render_template("schedules/month.html", **context), status


def _selected_day(text: str | None, start: date, end: date) -> date | None:
    try:
        day = date.fromisoformat(text or "")
    except ValueError:
        return None
    return day if start <= day <= end else None


def _day_defaults(cell, change, schedule: rules.StaffSchedule) -> Form:
    """The day form shows the day's hours; a day off offers the master's usual hours."""
    intervals = list(cell.intervals) if cell else []
    if not intervals:
        latest = sorted(schedule.patterns, key=lambda p: p.valid_from, reverse=True)
        usual = next((d for p in latest for d in p.days if d), None)
        if usual:
            intervals = [(s.strftime("%H:%M"), e.strftime("%H:%M")) for s, e in usual]
    return Form({"note": change.note if change else "",
                 **plan.hours_values(intervals or [("09:00", "18:00")])}, "day")


def _absence_defaults(day: date) -> Form:
    return Form({"date_from": day.isoformat(), "date_to": day.isoformat(), "reason": "vacation"}, "absence")


def _template_defaults(patterns: list, valid_from: date) -> Form:
    """The custom forms start from the master's latest template of each kind, or from 5/2 and 2/2."""
    weekly = next((p.days for p in reversed(patterns) if p.kind == rules.WEEKLY), plan.FIVE_TWO)
    cycle = next((p.days for p in reversed(patterns) if p.kind == rules.CYCLE), plan.TWO_TWO)
    return Form({"valid_from": valid_from.isoformat(), **plan.weekly_values(weekly), **plan.cycle_values(cycle)},
                "template")


@bp.get("/schedules")
@page("schedules.read")
def month():
    """The month planner of one master."""
    return _render(request.args.get("staff"), request.args.get("month"), request.args.get("day"))


# changing ------------------------------------------------------------------------------------------

@bp.post("/schedules/day")
@page("schedules.write")
def save_day():
    """Set one date's hours, or make it a day off."""
    form = Form.posted(request, "day")
    staff = _posted_staff(form)
    day = form.day("day")
    if day is None:
        abort(400)
    day_off = form.raw("mode") == "off"
    intervals = [] if day_off else plan.read_hours(form)
    note = form.text("note", required=False)
    until = form.day("until", required=False) or day
    if until < day:
        form.error("until", _("The end date is before the start date."))
    elif (until - day).days > MAX_DAYS_AT_ONCE:
        form.error("until", _("At most %(n)d days at once; use a template for longer.", n=MAX_DAYS_AT_ONCE + 1))
    if form.ok:
        try:
            with database.atomic():
                for offset in range((until - day).days + 1):
                    schedules.set_day(g.actor, staff.id, day + timedelta(days=offset), intervals, note)
        except ServiceError as exc:
            form.service_error(exc, {"intervals": "start"})
    first = _month_of(form, day)
    if not form.ok:
        return _render(staff.id, first.strftime("%Y-%m"), day.isoformat(), forms={"day": form}, status=422)
    days = _day_text(day) if until == day else f"{_day_text(day)} – {_day_text(until)}"
    flash(_("%(day)s: day off.", day=days) if day_off else _("%(day)s: new hours saved.", day=days), "success")
    _warn_about_bookings(staff.id, day, until)
    return _back(staff.id, first, day, "day-editor")


@bp.post("/schedules/day/clear")
@page("schedules.write")
def clear_day():
    """Drop a single-day change: the template applies again."""
    form = Form.posted(request)
    staff = _posted_staff(form)
    day = form.day("day")
    if day is None:
        abort(400)
    schedules.clear_day(g.actor, staff.id, day)
    flash(_("%(day)s follows the template again.", day=_day_text(day)), "success")
    return _back(staff.id, _month_of(form, day), day, "day-editor")


@bp.post("/schedules/template")
@page("schedules.write")
def apply_template():
    """Put a template in force from a date (5/2, 2/2, custom week or custom cycle)."""
    form = Form.posted(request, "template")
    staff = _posted_staff(form)
    preset = form.raw("preset")
    valid_from = form.day("valid_from")
    valid_until = form.day("valid_until", required=False)
    if valid_from and valid_until and valid_until < valid_from:
        form.error("valid_until", _("The end date is before the start date."))
    template = plan.read_template(form, preset)
    if form.ok:
        kind, name, days = template
        try:
            _apply(staff.id, kind, name, days, valid_from, valid_until)
        except ServiceError as exc:
            form.service_error(exc, {"days": "preset", "valid_until": "valid_until"})
    first = _month_of(form, valid_from or _today())
    if not form.ok:
        return _render(staff.id, first.strftime("%Y-%m"), form.raw("day") or None, forms={"template": form},
                       open_template=preset, status=422)
    flash(_("The template is in force from %(day)s.", day=_day_text(valid_from)), "success")
    _warn_about_bookings(staff.id, valid_from, valid_until or valid_from + timedelta(days=62))
    return _back(staff.id, first, None, "calendar")


def _apply(staff_id: str, kind: str, name: str, days: list, valid_from: date, valid_until: date | None) -> None:
    """The new template rules [valid_from, valid_until]; templates it supersedes end or step aside.

    Of several templates in force the one that started last wins, so later
    templates inside the new period are ended or moved past its end, and an
    open-ended new template ends the open-ended one before it.
    """
    with database.atomic():
        for p in WorkPattern.select().where((WorkPattern.staff == staff_id) & (WorkPattern.active == True)):  # noqa: E712
            if p.valid_from >= valid_from:
                if valid_until is None or (p.valid_until is not None and p.valid_until <= valid_until):
                    schedules.update_pattern(g.actor, p.id, {"active": False})
                elif p.valid_from <= valid_until:
                    changes = {"valid_from": valid_until + timedelta(days=1)}
                    if p.kind == rules.CYCLE:
                        changes["anchor"] = p.anchor or p.valid_from
                    schedules.update_pattern(g.actor, p.id, changes)
            elif valid_until is None and (p.valid_until is None or p.valid_until >= valid_from):
                schedules.update_pattern(g.actor, p.id, {"valid_until": valid_from - timedelta(days=1)})
        schedules.create_pattern(g.actor, staff_id, {"kind": kind, "name": name, "days": days,
                                                     "valid_from": valid_from, "valid_until": valid_until,
                                                     "anchor": valid_from if kind == rules.CYCLE else None})


@bp.post("/schedules/patterns/<pattern_id>/cancel")
@page("schedules.write")
def cancel_pattern(pattern_id):
    """Withdraw a template entered by mistake."""
    form = Form.posted(request)
    pattern = WorkPattern.get_or_none(WorkPattern.id == pattern_id)
    if pattern is None:
        abort(404)
    schedules.update_pattern(g.actor, pattern.id, {"active": False})
    flash(_("The template is withdrawn."), "success")
    return _back(pattern.staff_id, _month_of(form, pattern.valid_from), None, "templates")


@bp.post("/schedules/absences")
@page("schedules.write")
def add_absence():
    """Record days away with a reason."""
    form = Form.posted(request, "absence")
    staff = _posted_staff(form)
    date_from = form.day("date_from")
    date_to = form.day("date_to")
    reason = form.choice("reason", plan.REASON_LABELS)
    note = form.text("note", required=False)
    if date_from and date_to:
        if date_to < date_from:
            form.error("date_to", _("The end date is before the start date."))
        elif (date_to - date_from).days > 366:
            form.error("date_to", _("An absence lasts at most a year; add another one after it."))
        else:
            clash = Absence.get_or_none((Absence.staff == staff.id) & (Absence.active == True)  # noqa: E712
                                        & (Absence.date_from <= date_to) & (Absence.date_to >= date_from))
            if clash is not None:
                form.error("date_from", _("Overlaps the absence %(a)s – %(b)s.", a=_day_text(clash.date_from),
                                          b=_day_text(clash.date_to)))
    if form.ok:
        try:
            schedules.create_absence(g.actor, staff.id, {"date_from": date_from, "date_to": date_to,
                                                         "reason": reason, "note": note})
        except ServiceError as exc:
            form.service_error(exc)
    first = _month_of(form, date_from or _today())
    if not form.ok:
        return _render(staff.id, first.strftime("%Y-%m"), form.raw("day") or None, forms={"absence": form},
                       status=422)
    flash(_("Absence recorded: %(reason)s, %(a)s – %(b)s.", reason=plan.REASON_LABELS[reason],
            a=_day_text(date_from), b=_day_text(date_to)), "success")
    _warn_about_bookings(staff.id, date_from, date_to)
    return _back(staff.id, first, None, "absences")


@bp.post("/schedules/absences/<absence_id>/cancel")
@page("schedules.write")
def cancel_absence(absence_id):
    """Cancel an absence: the template applies on its days again."""
    form = Form.posted(request)
    absence = Absence.get_or_none(Absence.id == absence_id)
    if absence is None:
        abort(404)
    schedules.update_absence(g.actor, absence.id, {"active": False})
    flash(_("The absence is cancelled."), "success")
    return _back(absence.staff_id, _month_of(form, absence.date_from), None, "absences")


def _day_text(day: date) -> str:
    return day_text(day, "d MMMM y")
