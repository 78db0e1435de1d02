"""The link to head office on the box (SY3, SY4): is it up, what is still to send, online requests to settle."""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from appliance.domain.permissions import allowed
from appliance.services import online_requests, sync_outbox
from appliance.services.errors import Conflict, InvalidInput
from appliance.web.form_support import Form
from appliance.web.session_auth import page

bp = Blueprint("web_sync", __name__)


def attention_count() -> int:
    """Online requests the box could not book, for the badge in the menu."""
    return len(online_requests.needing_attention())


@bp.get("/sync")
@page("bookings.read")
def status(form: Form | None = None, failed_id: str | None = None):
    """The link's state and the online requests waiting for the administrator."""
    return render_template("sync/status.html", link=sync_outbox.sync_status(),
                           waiting=online_requests.needing_attention(), form=form or Form(),
                           failed_id=failed_id, contacts=allowed(g.actor.role, "clients.contacts"),
                           tz=g.salon_ctx.tz, reason_text=reason_text)


def reason_text(reason: str) -> str:
    """Why a request could not be booked, in the user's language (the stored reason is the API's English)."""
    if "outside working hours" in reason:
        return _("outside the master's working hours")
    if "none free" in reason:
        return _("no room or equipment of the kind needed is free")
    if any(word in reason for word in ("booked", "a group event", "blocked time")):
        return _("the time is already taken")
    return _("it could not be booked: %(reason)s", reason=reason)


@bp.post("/sync/requests/<request_id>/handled")
@page("bookings.write")
def handled(request_id):
    """Mark a clashing online request as settled with the client."""
    form = Form(request.form)
    try:
        online_requests.mark_handled(g.actor, request_id, request.form.get("note", ""))
    except InvalidInput:
        form.errors["note"] = _("Say what was agreed with the client.")
        return status(form=form, failed_id=request_id), 422
    except Conflict:
        abort(409)
    flash(_("The request is settled."), "success")
    return redirect(url_for(".status"))
