"""The client card, and folding duplicate cards into one (CL2, CL7).

The card shows details, notes, upcoming bookings and the visit history;
duplicates are active cards sharing a phone, and merging moves everything
to the card kept (nothing is deleted). Routes hang on the web_clients blueprint.
"""
from datetime import date
from decimal import Decimal

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from peewee import fn

from appliance.domain import booking_rules as rules
from appliance.domain.permissions import allowed
from appliance.services import clients as client_service
from appliance.services.errors import InvalidInput
from appliance.services.lookup import fetch
from appliance.storage.database import database
from appliance.storage.models.base import utc_now
from appliance.storage.models.bookings import Booking, BookingItem, GroupAttendee, GroupEvent
from appliance.storage.models.catalogue import Service, Staff
from appliance.storage.models.clients import Client
from appliance.web.routes_clients import bp, local_day, salon_today
from appliance.web.session_auth import page

HISTORY_SHOWN = 20


def age_on(birthday: date | None, today: date) -> int | None:
    """Full years on ``today``."""
    if birthday is None:
        return None
    return today.year - birthday.year - ((today.month, today.day) < (birthday.month, birthday.day))


# --- card -------------------------------------------------------------------------------------

@bp.get("/clients/<client_id>")
@page("clients.read")
def card(client_id):
    """The client card: details, notes, upcoming bookings and visit history."""
    client = fetch(Client, client_id)
    ctx = g.salon_ctx
    upcoming, history = _bookings_of(client)
    show_all = request.args.get("history") == "all"
    twins = []
    if client.active and client.phone and allowed(g.actor.role, "clients.merge"):
        twins = list(Client.select().where((Client.phone == client.phone) & (Client.active == True)  # noqa: E712
                                           & (Client.id != client.id)).order_by(Client.created_at))
    return render_template(
        "clients/card.html", client=client, status=client_service.status_of(client, ctx),
        age=age_on(client.birthday, salon_today()), upcoming=upcoming,
        history=history if show_all else history[:HISTORY_SHOWN], history_total=len(history),
        show_all=show_all, stats=_stats(client), preferences=_preference_names(client.preferences),
        classes=_group_classes(client), twins=twins,
        merged_into=Client.get_or_none(Client.id == client.merged_into_id) if client.merged_into_id else None)


def _bookings_of(client: Client) -> tuple[list[dict], list[dict]]:
    """(current and upcoming, soonest first; history, latest first), each booking with its items."""
    bookings = list(Booking.select().where(Booking.client == client).order_by(Booking.starts_at.desc()))
    items = {}
    if bookings:
        query = (BookingItem.select(BookingItem, Service, Staff).join(Service)
                 .switch(BookingItem).join(Staff)
                 .where(BookingItem.booking.in_([b.id for b in bookings]) & (BookingItem.active == True))  # noqa: E712
                 .order_by(BookingItem.position))
        for item in query:
            items.setdefault(item.booking_id, []).append(item)
    now = utc_now()
    upcoming, history = [], []
    for booking in bookings:
        entry = {"booking": booking, "items": items.get(booking.id, []), "day": local_day(booking.starts_at)}
        if booking.status not in rules.FINAL and booking.ends_at >= now:
            upcoming.append(entry)
        else:
            history.append(entry)
    upcoming.reverse()
    return upcoming, history


def _stats(client: Client) -> dict:
    """No-shows, cancellations and the sum of completed visits booked in this box."""
    counts = dict(Booking.select(Booking.status, fn.COUNT(Booking.id)).where(Booking.client == client)
                  .group_by(Booking.status).tuples())
    spent = sum((b.total for b in Booking.select(Booking.total).where(
        (Booking.client == client) & (Booking.status == rules.COMPLETED))), start=Decimal(0))
    return {"no_shows": counts.get(rules.NO_SHOW, 0), "cancelled": counts.get(rules.CANCELLED, 0),
            "completed": counts.get(rules.COMPLETED, 0), "spent": spent}


def _preference_names(preferences: dict) -> dict:
    """Names of the preferred masters and services (unknown ids are left out)."""
    masters = preferences.get("masters") or []
    services = preferences.get("services") or []
    return {
        "masters": [f"{s.first_name} {s.last_name}".strip()
                    for s in Staff.select().where(Staff.id.in_(masters))] if masters else [],
        "services": [s.name for s in Service.select().where(Service.id.in_(services))] if services else [],
    }


def _group_classes(client: Client) -> list:
    """Group classes the client signed up for, latest first."""
    return list(GroupAttendee.select(GroupAttendee, GroupEvent, Staff).join(GroupEvent).join(Staff)
                .where(GroupAttendee.client == client).order_by(GroupEvent.starts_at.desc()).limit(50))


# --- duplicates and merge ---------------------------------------------------------------------

def _booking_counts(client_ids: list[str]) -> dict:
    """{client id: number of bookings} for the cards on a duplicates or merge page."""
    return dict(Booking.select(Booking.client, fn.COUNT(Booking.id)).where(Booking.client.in_(client_ids))
                .group_by(Booking.client).tuples())


@bp.get("/clients/duplicates")
@page("clients.merge")
def duplicates():
    """Active cards sharing a phone, to merge (CL7)."""
    groups = client_service.duplicate_groups()
    ids = [c.id for group in groups for c in group]
    bookings = _booking_counts(ids) if ids else {}
    return render_template("clients/duplicates.html", groups=groups, bookings=bookings)


@bp.route("/clients/<client_id>/merge", methods=["GET", "POST"])
@page("clients.merge")
def merge(client_id):
    """Confirm (GET) and do (POST) folding other cards into this one; nothing is deleted."""
    target = fetch(Client, client_id, active_only=True)
    source_ids = list(dict.fromkeys(i for i in request.values.getlist("source") if i != target.id))
    sources = list(Client.select().where(Client.id.in_(source_ids) & (Client.active == True))  # noqa: E712
                   .order_by(Client.created_at)) if source_ids else []
    error = None
    if request.method == "POST":
        if not sources or len(sources) != len(source_ids):
            error = _("Choose the cards to merge again: some of them are no longer active.")
        else:
            try:
                with database.atomic():
                    for source in sources:
                        client_service.merge_clients(g.actor, target.id, source.id)
            except InvalidInput as exc:
                error = exc.fields[0][1]
            else:
                flash(_("Cards merged: %(count)d moved into this one.", count=len(sources)), "success")
                return redirect(url_for(".card", client_id=target.id))
    query = request.args.get("q", "").strip()[:100]
    found = []
    if query and not sources:
        rows, _total = client_service.search_clients(query, limit=20)
        found = [c for c in rows if c.id != target.id]
    bookings = _booking_counts([target.id, *(s.id for s in sources)])
    status = 422 if error else 200
    return render_template("clients/merge.html", target=target, sources=sources, bookings=bookings,
                           error=error, query=query, found=found), status
