"""The time clock's pages (ST4): the timesheet, and each person's punches of a day with corrections.

Times are shown and typed in the salon's zone. A correction needs a reason,
shown next to the field when missing; every correction appears on the day's
page with who made it, when and why (the audit log).
"""
from datetime import date, datetime, timedelta

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from appliance.domain.permissions import ADMINISTRATOR, allowed
from appliance.domain.time_clock import KINDS
from appliance.domain.wallclock import LocalTimeError, day_bounds, local_to_utc
from appliance.services import punch_corrections as corrections
from appliance.services import timesheet_export
from appliance.services.errors import ServiceError
from appliance.services.lookup import fetch
from appliance.services.timesheets import MAX_DAYS, build_timesheet, staff_name
from appliance.storage import statements
from appliance.storage.models.catalogue import Staff
from appliance.storage.models.time_clock import TimePunch
from appliance.web.form_support import Form, period_form
from appliance.web.session_auth import page

bp = Blueprint("web_time_clock", __name__)
FILE_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              "csv": "text/csv; charset=utf-8"}


def hours(minutes: int) -> str:
    """Minutes as H:MM (8:48)."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def _today() -> date:
    return datetime.now(g.salon_ctx.tz).date()


def _period() -> tuple[date, date, Form]:
    """The period asked for, or this month up to today; errors are shown on the picker."""
    return period_form(request.args, _today(), MAX_DAYS, _("A timesheet covers at most %(n)d days.", n=MAX_DAYS))


@bp.get("/time-clock")
@page("timeclock.read")
def index():
    """The time clock opens on the timesheet."""
    return redirect(url_for(".timesheet"))


@bp.get("/time-clock/timesheet")
@page("timeclock.read")
def timesheet():
    """Staff x days: hours worked, late, early and overtime marks, totals; export buttons."""
    first, last, form = _period()
    sheet = build_timesheet(first, last)
    return render_template("time_clock/timesheet.html", sheet=sheet, form=form, hours=hours, today=_today(),
                           tz=g.salon_ctx.tz), 422 if form.errors else 200


def export_labels() -> dict:
    """Column headers of the files in the user's language."""
    return {
        "sheet_grid": _("Timesheet"), "sheet_days": _("Days"), "staff": _("Staff member"), "date": _("Date"),
        "planned_min": _("Planned, min"), "worked_min": _("Worked, min"), "late_min": _("Late, min"),
        "early_min": _("Left early, min"), "overtime_min": _("Overtime, min"), "missing_out": _("No clock-out"),
        "missing_in": _("No clock-in"), "absent": _("Absent"), "absence": _("Absence"),
        "punches": _("Clock-in and clock-out"), "total_hours": _("Worked, h"), "planned_hours": _("Planned, h"),
        "yes": _("yes"),
    }


@bp.get("/time-clock/timesheet.<fmt>")
@page("timeclock.read")
def export(fmt):
    """The timesheet of the chosen period as XLSX or CSV."""
    if fmt not in FILE_TYPES:
        abort(404)
    first, last, form = _period()
    sheet = build_timesheet(first, last)
    render = timesheet_export.to_xlsx if fmt == "xlsx" else timesheet_export.to_csv
    name = f"timesheet-{first.isoformat()}-{last.isoformat()}.{fmt}"
    return Response(render(sheet, export_labels()), mimetype=FILE_TYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _names(ids) -> dict:
    return {s.id: staff_name(s) for s in statements.rows_where_in(Staff, "id", {i for i in ids if i})}


@bp.get("/time-clock/punches")
@page("timeclock.read")
def punches(forms: dict | None = None, status: int = 200):
    """One person's punches of one day, voided ones struck out, with the forms to correct them."""
    staff = fetch(Staff, request.values.get("staff", ""))
    day = Form(request.values).day("day", required=False) or _today()
    start, end = day_bounds(day, g.salon_ctx.tz)
    # A night shift's clock-out lands on the next morning: list it with the day it belongs to.
    rows = corrections.punches_between(start, end + timedelta(hours=12), [staff.id])
    rows = [p for p in rows if p.at < end or p.kind == "out"]
    report = build_timesheet(day, day, [staff.id]).rows[0].days[0]
    log = corrections.corrections_log(staff.id, day)
    names = _names([p.created_by for p in rows] + [p.voided_by for p in rows] + [e.actor_id for e in log])
    return render_template("time_clock/punches.html", staff=staff, day=day, punches=rows, report=report, log=log,
                           names=names, forms=forms or {}, hours=hours, tz=g.salon_ctx.tz, kinds=KINDS,
                           may_correct=_may_correct(staff), Form=Form, timedelta=timedelta), status


def _may_correct(staff: Staff) -> bool:
    if not allowed(g.actor.role, "timeclock.correct"):
        return False
    return not (g.actor.role == ADMINISTRATOR and g.actor.id == staff.id)


def _instant(form: Form, day_name: str, time_name: str):
    day, minutes = form.day(day_name), form.clock(time_name)
    if day is None or minutes is None:
        return None
    try:
        return local_to_utc(datetime.combine(day, datetime.min.time()) + timedelta(minutes=minutes), g.salon_ctx.tz)
    except LocalTimeError:
        form.error(time_name, _("This time does not exist or happens twice that day (clocks change); "
                                "choose another."))
        return None


def _back(staff_id: str, day) -> Response:
    return redirect(url_for(".punches", staff=staff_id, day=day.isoformat()))


def _refused(key: str, form: Form):
    return punches(forms={key: form}, status=422)


@bp.post("/time-clock/punches/add")
@page("timeclock.correct")
def add():
    """Add a forgotten clock-in or clock-out."""
    form = Form.posted(request, key="add")
    staff = fetch(Staff, form.raw("staff"))
    kind = form.choice("kind", KINDS)
    reason = form.text("reason", max_length=500)
    at = _instant(form, "day", "time")
    if form.ok:
        try:
            corrections.add_punch(g.actor, staff.id, at, kind, reason)
        except ServiceError as exc:
            form.service_error(exc)
    if not form.ok:
        return _refused("add", form)
    flash(_("The punch is added."), "success")
    return _back(staff.id, form.day("day"))


@bp.post("/time-clock/punches/<punch_id>/void")
@page("timeclock.correct")
def void(punch_id):
    """Void a wrong punch with the reason."""
    punch = fetch(TimePunch, punch_id)
    form = Form.posted(request, key=f"void-{punch.id}")
    reason = form.text("reason", max_length=500)
    if form.ok:
        try:
            corrections.void_punch(g.actor, punch.id, reason)
        except ServiceError as exc:
            form.service_error(exc)
    if not form.ok:
        return _refused(form.key, form)
    flash(_("The punch is voided."), "success")
    return _back(punch.staff_id, punch.at.astimezone(g.salon_ctx.tz).date())


@bp.post("/time-clock/punches/<punch_id>/move")
@page("timeclock.correct")
def move(punch_id):
    """Change a punch's time: the old one is voided, the new one added, both with the reason."""
    punch = fetch(TimePunch, punch_id)
    form = Form.posted(request, key=f"move-{punch.id}")
    reason = form.text("reason", max_length=500)
    at = _instant(form, "on_day", "time")
    if form.ok:
        try:
            corrections.move_punch(g.actor, punch.id, at, reason)
        except ServiceError as exc:
            form.service_error(exc)
    if not form.ok:
        return _refused(form.key, form)
    flash(_("The punch time is changed."), "success")
    return _back(punch.staff_id, at.astimezone(g.salon_ctx.tz).date())
