"""Cards (KI2): who holds which card, enrolling one from a tap at the reader, revoking with a reason.

Enrolling: choose the staff member or client, tap the card on the reader;
the page asks the box for the latest tap of a card nobody holds (within the
last minute) and offers to enrol that card. Without JavaScript, "Check
again" reloads the page, which looks for the tap the same way.
"""
from datetime import timedelta

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from appliance.services import cards, time_clock
from appliance.services.errors import InvalidInput, ServiceError
from appliance.services.timesheets import staff_name
from appliance.storage import statements
from appliance.storage.models.base import utc_now
from appliance.storage.models.catalogue import Staff
from appliance.storage.models.clients import Client
from appliance.web.form_support import Form
from appliance.web.session_auth import page

bp = Blueprint("web_cards", __name__)
TAP_WINDOW = timedelta(seconds=60)


def _client_name(client: Client) -> str:
    return " ".join(p for p in (client.last_name, client.first_name) if p)


@bp.get("/time-clock/cards")
@page("cards.manage")
def index(form: Form | None = None, revoke_form: Form | None = None, status: int = 200):
    """Every card with its holder and state, and the enrolment form."""
    rows = cards.list_cards(include_revoked=True)
    staff = {s.id: s for s in statements.rows_where_in(Staff, "id", {c.staff_id for c in rows if c.staff_id})}
    clients = {c.id: c for c in statements.rows_where_in(Client, "id", {c.client_id for c in rows if c.client_id})}
    holders = {c.id: staff_name(staff[c.staff_id]) if c.staff_id else _client_name(clients[c.client_id])
               for c in rows}
    actors = {s.id: staff_name(s) for s in statements.rows_where_in(
        Staff, "id", {i for c in rows for i in (c.enrolled_by, c.revoked_by) if i})}
    people = list(Staff.select().where(Staff.active == True).order_by(  # noqa: E712
        Staff.sort_order, Staff.last_name, Staff.first_name))
    form = form or Form({"holder": "staff"}, key="enrol")
    chosen_client = statements.get_by_id(Client, form.raw("client_id")) if form.raw("client_id") else None
    return render_template("time_clock/cards.html", cards=rows, holders=holders, actors=actors,
                           staff_options=[(s.id, staff_name(s)) for s in people],
                           form=form, revoke_form=revoke_form, tap=time_clock.latest_unknown_tap(utc_now() - TAP_WINDOW),
                           chosen_client=_client_name(chosen_client) if chosen_client else "",
                           staff_name=staff_name, tz=g.salon_ctx.tz), status


def _holder(form: Form) -> cards.Holder | None:
    kind = form.choice("holder", (cards.STAFF, cards.CLIENT))
    if kind == cards.STAFF and not form.raw("staff_id"):
        form.error("staff_id", _("Choose the staff member."))
    if kind == cards.CLIENT and not form.raw("client_id"):
        form.error("client_search", _("Find the client and choose them from the list."))
    if not form.ok:
        return None
    return cards.Holder(kind, form.raw(f"{kind}_id"))


@bp.post("/time-clock/cards/enrol")
@page("cards.manage")
def enrol():
    """Enrol the card seen in the chosen tap for the chosen person."""
    form = Form.posted(request, key="enrol")
    holder = _holder(form)
    label = form.text("label", required=False, max_length=64)
    tap_id = form.integer("tap_id", 1, 2**62, required=False)
    if form.ok and tap_id is None:
        form.error("tap_id", _("Tap the card on the reader first."))
    if form.ok:
        try:
            card = cards.enrol_from_tap(g.actor, holder, tap_id, label)
        except InvalidInput as exc:
            if exc.fields[0][0] == "tap_id":
                form.error("tap_id", _("This card is already enrolled for someone else; revoke that card first."))
            else:
                form.service_error(exc, {"staff_id": "staff_id", "client_id": "client_search"})
        except ServiceError as exc:
            form.service_error(exc)
        else:
            flash(_("The card is enrolled for %(name)s.", name=cards.holder_name(card)), "success")
            return redirect(url_for(".index"))
    return index(form=form, status=422)


@bp.post("/time-clock/cards/<card_id>/revoke")
@page("cards.manage")
def revoke(card_id):
    """Revoke a card with the reason; it stays on the list."""
    form = Form.posted(request, key=f"revoke-{card_id}")
    reason = form.text("reason", max_length=500)
    if form.ok:
        try:
            cards.revoke_card(g.actor, card_id, reason)
        except ServiceError as exc:
            form.service_error(exc)
        else:
            flash(_("The card is revoked."), "success")
            return redirect(url_for(".index"))
    return index(revoke_form=form, status=422)
