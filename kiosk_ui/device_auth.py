"""Which kiosk is calling: its device token in an HttpOnly cookie set at pairing (KI4).

The token stands for a device with the kiosk role, which holds one permission
(``kiosk.use``): the same token sent to the API or the administrator's pages
gets nothing there.
"""
import functools

from flask import g, redirect, request, url_for

from appliance.domain.permissions import allowed
from appliance.services import auth
from appliance.services.context import SalonContext
from appliance.services.errors import Unauthorized
from appliance.storage.models.access import Device
from appliance.web.session_auth import check_csrf

COOKIE = "salon_kiosk"
COOKIE_AGE = 10 * 365 * 24 * 3600  # a paired kiosk stays paired until it is revoked


def kiosk_device() -> Device | None:
    """The paired, active kiosk this request comes from, or None."""
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    try:
        actor = auth.actor_for_token(token)
    except Unauthorized:
        return None
    if actor.kind != "device" or not allowed(actor.role, "kiosk.use"):
        return None
    g.actor = actor
    return Device.get_by_id(actor.id)


def remember(response, token: str):
    """Keep the kiosk's token in a cookie no script can read and no other site can send."""
    response.set_cookie(COOKIE, token, max_age=COOKIE_AGE, httponly=True, samesite="Strict",
                        secure=request.is_secure, path="/kiosk")
    return response


def kiosk_page(view):
    """A kiosk view: a paired kiosk only (else the pairing screen); sets g.device and g.salon_ctx."""
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        device = kiosk_device()
        if device is None:
            return redirect(url_for("kiosk.pairing"))
        g.device, g.salon_ctx = device, SalonContext.load()
        if request.method not in ("GET", "HEAD"):
            check_csrf()
        return view(*args, **kwargs)
    return wrapped
