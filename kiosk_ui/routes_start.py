"""The kiosk's start page, language switch, idle reset and pairing with the box (KI4)."""
from flask import g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from appliance.services import kiosk_pairing
from appliance.services.context import SalonContext
from appliance.services.errors import InvalidInput
from appliance.web.i18n import LANGUAGES
from appliance.web.session_auth import check_csrf
from kiosk_ui.blueprint import bp
from kiosk_ui.device_auth import kiosk_device, kiosk_page, remember
from kiosk_ui.routes_taps import latest_tap_id

IDLE_SECONDS = 45  # back to the start page after this long without a touch


@bp.context_processor
def kiosk_globals():
    """Settings every kiosk template uses."""
    return {"kiosk_idle_seconds": IDLE_SECONDS}


@bp.get("/")
@kiosk_page
def start():
    """Three big choices, and the card reader listening for masters' and clients' cards."""
    return render_template("kiosk/start.html", salon=g.salon_ctx.salon, listen_taps=True,
                           taps_after=latest_tap_id())


@bp.get("/reset")
def reset():
    """Idle reset: forget the language chosen by the last person and go to the start page."""
    session.pop("locale", None)
    return redirect(url_for("kiosk.start"))


@bp.post("/language")
def language():
    """Switch the kiosk's language for the person standing at it."""
    check_csrf()
    chosen = request.form.get("locale")
    if chosen in LANGUAGES:
        session["locale"] = chosen
    target = request.form.get("next") or ""
    return redirect(target if target.startswith("/kiosk") else url_for("kiosk.start"))


@bp.get("/pair")
def pairing(error: str | None = None, status: int = 200):
    """A kiosk that is not paired shows a keypad for the administrator's one-time code."""
    if kiosk_device() is not None and error is None:
        return redirect(url_for("kiosk.start"))
    salon = _salon_or_none()
    return render_template("kiosk/pair.html", salon=salon, error=error), status


@bp.post("/pair")
def pair():
    """Exchange the typed code for this kiosk's own token."""
    check_csrf()
    try:
        issued = kiosk_pairing.pair(request.form.get("code", ""))[1]
    except InvalidInput:
        return pairing(error=_("This code is wrong or has expired. Ask the administrator for a new one."),
                       status=422)
    return remember(redirect(url_for("kiosk.start")), issued.token)


def _salon_or_none():
    try:
        return SalonContext.load().salon
    except LookupError:
        return None
