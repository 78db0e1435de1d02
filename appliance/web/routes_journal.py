"""The journal (BK1): masters side by side, week, rooms and equipment views."""
from datetime import date, datetime

from flask import Blueprint, g, render_template, request
from babel import Locale
from babel.dates import get_day_names, get_month_names
from flask_babel import get_locale
from flask_babel import gettext as _

from appliance.domain.permissions import allowed
from appliance.services.calendar import data_version
from appliance.storage.models.catalogue import Equipment, Room, Service, ServiceCategory, Staff
from appliance.web.i18n import first_weekday
from appliance.web.session_auth import page

bp = Blueprint("journal", __name__)
VIEWS = ("day", "week", "rooms", "equipment")


def journal_strings() -> dict:
    """Interface text the journal's script shows, in the user's language."""
    return {
        "today": _("Today"), "day": _("Day"), "week": _("Week"), "rooms": _("Rooms"),
        "equipment": _("Equipment"), "newBooking": _("New booking"), "firstVisit": _("first visit"),
        "blocked": _("Blocked"), "conflict": _("Not saved"), "saved": _("Saved"),
        "statuses": {
            "requested": _("Requested"), "confirmed": _("Confirmed"), "arrived": _("Arrived"),
            "in_service": _("In service"), "completed": _("Completed"), "no_show": _("No-show"),
            "cancelled": _("Cancelled"),
        },
        "networkError": _("No connection to the box. Try again."),
        "reasonNeeded": _("A reason is required."),
        "noSlots": _("No free time found in the next two weeks."),
        "any": _("Any master"),
        "newClient": _("New client"),
        # Conflicts come from the API by code; their reasons are shown in the user's language.
        "conflictWith": {"booking": _("already booked"), "group_event": _("a group class"),
                         "time_block": _("blocked time"), "outside_working_hours": _("outside working hours"),
                         "none_free": _("none is free")},
        "attendee": {"booked": _("signed up"), "arrived": _("came"), "no_show": _("did not come"),
                     "cancelled": _("cancelled")},
        "noMasterFree": _("No master is free at that time."),
        "printQueued": _("The visit card is in the print queue."),
        "noPrinter": _("No receipt printer is set up: add one on the Devices page."),
    }


def _catalogue() -> dict:
    masters = list(Staff.select().where((Staff.active == True) & (Staff.bookable == True))  # noqa: E712
                   .order_by(Staff.sort_order, Staff.last_name, Staff.first_name))
    services = list(Service.select(Service, ServiceCategory).join(ServiceCategory)
                    .where(Service.active == True).order_by(ServiceCategory.sort_order, ServiceCategory.name,  # noqa: E712
                                                            Service.sort_order, Service.name))
    return {
        "masters": [{"id": m.id, "title": f"{m.first_name} {m.last_name}".strip(), "color": m.color}
                    for m in masters],
        "rooms": [{"id": r.id, "title": r.name, "capacity": r.capacity, "type": r.room_type}
                  for r in Room.select().where(Room.active == True).order_by(Room.name)],  # noqa: E712
        "equipment": [{"id": e.id, "title": e.name, "type": e.equipment_type}
                      for e in Equipment.select().where(Equipment.active == True).order_by(Equipment.name)],  # noqa: E712
        "services": [{"id": s.id, "name": s.name, "category": s.category.name, "duration": s.duration_min,
                      "price": str(s.price), "price_max": str(s.price_max) if s.price_max else None,
                      "room_type": s.room_type, "equipment_type": s.equipment_type} for s in services],
    }


def _date_names() -> dict:
    """Month and weekday names from CLDR: browsers lack some locales (Uzbek) in their own data."""
    locale = Locale.parse(str(get_locale()))
    months = get_month_names("wide", context="format", locale=locale)
    days = get_day_names("abbreviated", context="format", locale=locale)
    return {"months": [months[m] for m in range(1, 13)],
            # JavaScript counts weekdays from Sunday = 0; CLDR from Monday = 0.
            "days": [days[(d - 1) % 7] for d in range(7)]}


@bp.get("/journal")
@page("bookings.read")
def day():
    """The journal page; the calendar loads its bookings from the API."""
    view = request.args.get("view", "day")
    if view not in VIEWS:
        view = "day"
    try:
        shown = date.fromisoformat(request.args.get("date", ""))
    except ValueError:
        shown = None
    salon = g.salon_ctx.salon
    hours = [i for day_hours in salon.opening_hours for i in day_hours] or [["09:00", "21:00"]]
    # The salon's today, not the browser's: a reception PC in another zone (or a headless one
    # in UTC) opened on yesterday for the first hours of the salon's day.
    today = datetime.now(g.salon_ctx.tz).date()
    setup = {
        "view": view, "date": (shown or today).isoformat(), "today": today.isoformat(),
        "timezone": salon.timezone,
        "currency": salon.currency, "slotMinutes": salon.slot_step_min,
        # Babel counts weekdays from Monday = 0, the calendar from Sunday = 0.
        "firstDay": (first_weekday() + 1) % 7,
        "opens": min(i[0] for i in hours), "closes": max(i[1] for i in hours),
        "canWrite": allowed(g.actor.role, "bookings.write"),
        "canBlock": allowed(g.actor.role, "schedules.write"),
        "locale": str(get_locale()),
        # Read before the calendar loads its events, so any change after this reloads them.
        "dataVersion": data_version(),
        **_catalogue(), "text": journal_strings(), "names": _date_names(),
    }
    return render_template("journal.html", setup=setup, view=view)
