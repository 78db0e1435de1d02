"""Walk-ins (KI1): choose a service, take the nearest free time today, leave a phone number."""
from datetime import datetime

from flask import abort, g, render_template, request
from flask_babel import gettext as _

from appliance.domain.wallclock import to_local
from appliance.services import kiosk
from appliance.services.errors import Conflict, InvalidInput
from appliance.storage.models.catalogue import Service, Staff
from kiosk_ui.blueprint import bp
from kiosk_ui.device_auth import kiosk_page


@bp.get("/walk-in")
@kiosk_page
def walk_in_services():
    """Services a walk-in can take."""
    return render_template("kiosk/walk_in_services.html", services=kiosk.walk_in_services())


@bp.get("/walk-in/<service_id>")
@kiosk_page
def walk_in_slots(service_id):
    """The nearest free times today for the service."""
    service = _service(service_id)
    slots = kiosk.walk_in_slots(service.id)
    masters = {s.id: s for s in Staff.select().where(Staff.id.in_(
        [slot["items"][0]["master_id"] for slot in slots]))}
    offers = [{"starts_at": slot["starts_at"].isoformat(), "local": to_local(slot["starts_at"], g.salon_ctx.tz),
               "master": masters[slot["items"][0]["master_id"]]} for slot in slots]
    return render_template("kiosk/walk_in_slots.html", service=service, offers=offers)


@bp.post("/walk-in/<service_id>/details")
@kiosk_page
def walk_in_details(service_id):
    """The chosen time; the client types a phone number (and a first name if new)."""
    return _details_page(_service(service_id), request.form, {})


@bp.post("/walk-in/<service_id>/book")
@kiosk_page
def walk_in_book(service_id):
    """Book the walk-in as arrived."""
    service = _service(service_id)
    form = request.form
    try:
        visit = kiosk.book_walk_in(g.actor, {"service_id": service.id, "master_id": form.get("master_id"),
                                             "starts_at": datetime.fromisoformat(form.get("starts_at", "")),
                                             "phone": form.get("phone"), "first_name": form.get("first_name")})
    except ValueError:
        abort(400)
    except InvalidInput as exc:
        return _details_page(service, form, {exc.fields[0][0]: _field_error(exc.fields[0][0])}), 422
    except Conflict:
        return render_template("kiosk/message.html", tone="warning",
                               message=_("Sorry, this time has just been taken. Please choose another one.")), 409
    return render_template("kiosk/arrived.html", visit=visit, walk_in=True)


def _details_page(service, form, errors):
    master = Staff.get_or_none(Staff.id == form.get("master_id"))
    if master is None:
        abort(400)
    try:
        starts_at = datetime.fromisoformat(form.get("starts_at", ""))
    except ValueError:
        abort(400)
    return render_template("kiosk/walk_in_details.html", service=service, master=master,
                           starts_at=form.get("starts_at"), local=to_local(starts_at, g.salon_ctx.tz),
                           phone=form.get("phone", ""), first_name=form.get("first_name", ""), errors=errors)


def _field_error(field: str) -> str:
    if field == "phone":
        return _("This does not look like a phone number. Please check it.")
    if field == "first_name":
        return _("Please tell us your name.")
    return _("Please check this.")


def _service(service_id):
    service = Service.get_or_none((Service.id == service_id) & (Service.active == True))  # noqa: E712
    if service is None:
        abort(404)
    return service
