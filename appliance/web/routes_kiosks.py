"""Kiosks on the administrator's side (KI4): enrol a screen, pair it with a code, bind its reader, revoke."""
from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from appliance.services import auth, kiosk_pairing
from appliance.services.errors import NotFound
from appliance.storage.models.access import ApiToken, Device
from appliance.storage.models.base import utc_now
from appliance.web.form_support import Form
from appliance.web.session_auth import page

bp = Blueprint("web_kiosks", __name__)


def _kiosks() -> list[dict]:
    rows = []
    for device in Device.select().where(Device.kind == "kiosk").order_by(Device.active.desc(), Device.name):
        paired = (ApiToken.select().where((ApiToken.device == device) & (ApiToken.revoked == False))  # noqa: E712
                  .count())
        waiting = device.pairing_expires_at is not None and device.pairing_expires_at > utc_now()
        rows.append({"device": device, "paired": paired > 0, "waiting": waiting})
    return rows


@bp.get("/devices/kiosks")
@page("devices.manage")
def index(form: Form | None = None, code: str | None = None, code_for: str | None = None):
    """Every kiosk, whether it is paired, and a pairing code just made."""
    return render_template("kiosks/index.html", kiosks=_kiosks(), form=form or Form(), code=code,
                           code_for=code_for, tz=g.salon_ctx.tz)


@bp.post("/devices/kiosks")
@page("devices.manage")
def add():
    """Enrol a new kiosk screen and show its first pairing code."""
    form = Form(request.form)
    name = form.values.get("name", "").strip()
    if not name or len(name) > 100:
        form.errors["name"] = _("Give the kiosk a name of up to 100 characters, e.g. “Entrance”.")
        return index(form=form), 422
    device, _token = auth.enrol_device(g.actor, name)  # the API token is not shown: the kiosk pairs itself
    if form.values.get("reader", "").strip():
        kiosk_pairing.set_reader(g.actor, device.id, form.values["reader"])
    return index(code=kiosk_pairing.start_pairing(g.actor, device.id), code_for=device.id)


@bp.post("/devices/kiosks/<device_id>/pair")
@page("devices.manage")
def pair(device_id):
    """A fresh one-time code to type on the kiosk's screen."""
    try:
        code = kiosk_pairing.start_pairing(g.actor, device_id)
    except NotFound:
        return redirect(url_for(".index"))
    return index(code=code, code_for=device_id)


@bp.post("/devices/kiosks/<device_id>/reader")
@page("devices.manage")
def reader(device_id):
    """Bind the kiosk to the card reader next to it."""
    kiosk_pairing.set_reader(g.actor, device_id, request.form.get("reader", ""))
    return redirect(url_for(".index"))


@bp.post("/devices/kiosks/<device_id>/revoke")
@page("devices.manage")
def revoke(device_id):
    """Cut the kiosk off at once; it shows the pairing screen again."""
    try:
        auth.revoke_device(g.actor, device_id)
    except NotFound:
        pass
    return redirect(url_for(".index"))
