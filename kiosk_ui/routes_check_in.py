"""Client self check-in (KI1): by phone number, booking code or the QR code of the confirmation."""
from flask import g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from appliance.services import kiosk
from appliance.services.errors import Conflict, InvalidInput, NotFound
from kiosk_ui.blueprint import bp
from kiosk_ui.device_auth import kiosk_page


@bp.get("/phone")
@kiosk_page
def phone_form():
    """A phone keypad."""
    return render_template("kiosk/phone.html", value="", error=None)


@bp.post("/phone")
@kiosk_page
def phone_lookup():
    """Today's visits for the typed number."""
    value = request.form.get("phone", "")
    try:
        visits = kiosk.visits_by_phone(value)
    except InvalidInput:
        return render_template("kiosk/phone.html", value=value,
                               error=_("This does not look like a phone number. Please check it.")), 422
    return render_template("kiosk/visits.html", visits=visits, searched="phone")


@bp.get("/code")
@kiosk_page
def code_form():
    """A keypad for the six-digit code; a QR scanner types into the same field."""
    return render_template("kiosk/code.html", value="", error=None)


@bp.post("/code")
@kiosk_page
def code_lookup():
    """Today's visit with the typed or scanned code."""
    value = request.form.get("code", "")
    try:
        visits = kiosk.visits_by_code(value)
    except InvalidInput:
        return render_template("kiosk/code.html", value=value,
                               error=_("A booking code has six digits.")), 422
    return render_template("kiosk/visits.html", visits=visits, searched="code")


@bp.post("/arrive/<booking_id>")
@kiosk_page
def arrive(booking_id):
    """The client confirms they are here: the booking becomes arrived."""
    try:
        visit = kiosk.confirm_arrival(g.actor, booking_id)
    except NotFound:
        return redirect(url_for("kiosk.start"))
    except Conflict as exc:
        message = (_("It is too early to check in for this visit. Please come back closer to the time.")
                   if exc.code == "not_now" else _("This visit cannot be checked in. Please ask the administrator."))
        return render_template("kiosk/message.html", message=message, tone="warning"), 409
    return render_template("kiosk/arrived.html", visit=visit)
