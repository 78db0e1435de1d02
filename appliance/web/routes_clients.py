"""Client pages: the list with search and filters, and what every client page shares (CL1).

The card, duplicates and merge are in routes_client_card.py, the new and edit
forms in routes_client_forms.py; all of them hang on this one blueprint.
Views read with peewee and write only through appliance.services.clients.
"""
import math
import re
from datetime import date

import phonenumbers
from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_babel import lazy_gettext

from appliance.domain.client_status import STATUSES
from appliance.domain.permissions import allowed
from appliance.domain.phones import digits_of, mask_phone
from appliance.services import clients as client_service
from appliance.storage.database import database
from appliance.storage.models.base import utc_now
from appliance.storage.models.clients import Client
from appliance.web.session_auth import page

bp = Blueprint("web_clients", __name__)

PAGE_SIZE = 50
TAG_LIMIT = 64
CHANNELS = ("sms", "telegram", "whatsapp", "calls", "email")
DEFAULT_SOURCES = ("instagram", "friend", "walk-in", "2gis", "telegram", "google", "yandex-maps")

STATUS_LABELS = {"potential": lazy_gettext("Potential"), "new": lazy_gettext("New"),
                 "regular": lazy_gettext("Regular"), "lost": lazy_gettext("Lost")}
BOOKING_STATUS_LABELS = {
    "requested": lazy_gettext("Requested"), "confirmed": lazy_gettext("Confirmed"),
    "arrived": lazy_gettext("Arrived"), "in_service": lazy_gettext("In service"),
    "completed": lazy_gettext("Completed"), "no_show": lazy_gettext("No-show"),
    "cancelled": lazy_gettext("Cancelled"), "booked": lazy_gettext("Booked"),
}
GENDER_LABELS = {"female": lazy_gettext("Female"), "male": lazy_gettext("Male"), "other": lazy_gettext("Other")}
CHANNEL_LABELS = {"sms": lazy_gettext("SMS"), "telegram": lazy_gettext("Telegram"),
                  "whatsapp": lazy_gettext("WhatsApp"), "calls": lazy_gettext("Calls"),
                  "email": lazy_gettext("Email")}


# --- helpers shared by the templates ---------------------------------------------------------

def client_name(client: Client) -> str:
    """Full name in the salon's order of names."""
    if g.salon_ctx.salon.name_order == "first_last":
        parts = (client.first_name, client.middle_name, client.last_name)
    else:
        parts = (client.last_name, client.first_name, client.middle_name)
    return " ".join(p for p in parts if p) or "—"


def sees_contacts() -> bool:
    """May the signed-in role see phones and e-mail (masters may not)?"""
    return allowed(g.actor.role, "clients.contacts")


def shown_phone(e164: str | None) -> str:
    """A stored phone as people read it, or masked for roles without contacts."""
    if not e164:
        return ""
    if not sees_contacts():
        return mask_phone(e164)
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return e164


def local_day(instant) -> date | None:
    """The salon-local date of a stored UTC instant."""
    return instant.astimezone(g.salon_ctx.tz).date() if instant else None


def salon_today() -> date:
    """Today's date in the salon's time zone."""
    return utc_now().astimezone(g.salon_ctx.tz).date()


@bp.context_processor
def helpers() -> dict:
    """Names, phones and labels for every client template."""
    return {"client_name": client_name, "shown_phone": shown_phone, "sees_contacts": sees_contacts,
            "local_day": local_day, "STATUS_LABELS": STATUS_LABELS,
            "BOOKING_STATUS_LABELS": BOOKING_STATUS_LABELS, "GENDER_LABELS": GENDER_LABELS,
            "CHANNEL_LABELS": CHANNEL_LABELS, "CHANNELS": CHANNELS, "STATUSES": STATUSES}


def known_tags() -> list[str]:
    """Every tag on an active card, for the filter and as hints."""
    rows = database.execute_sql(
        f'SELECT DISTINCT j.value FROM "{Client._meta.table_name}" AS c, json_each(c.tags) AS j '
        "WHERE c.active = 1 AND json_valid(c.tags)")
    return sorted((r[0] for r in rows if isinstance(r[0], str)), key=str.casefold)


def known_sources() -> list[str]:
    """Sources already used, and the usual ones, for the source field's suggestions."""
    used = {s for (s,) in Client.select(Client.source).where(Client.source.is_null(False)).distinct().tuples()}
    return sorted(used | set(DEFAULT_SOURCES), key=str.casefold)


def _page_number(raw: str | None) -> int:
    try:
        return min(max(int(raw or 1), 1), 100_000)
    except ValueError:
        return 1


# --- list -------------------------------------------------------------------------------------

@bp.get("/clients")
@page("clients.read")
def index():
    """The client list: search by name, phone fragment or card number; filters; pages."""
    query = request.args.get("q", "").strip()[:100]
    status = request.args.get("status", "")
    status = status if status in STATUSES else ""
    tag = request.args.get("tag", "").strip()[:TAG_LIMIT]
    inactive = request.args.get("inactive") == "1"
    number = _page_number(request.args.get("page"))
    rows, total = client_service.search_clients(query, status or None, tag or None, inactive,
                                                PAGE_SIZE, (number - 1) * PAGE_SIZE,
                                                by_phone=allowed(g.actor.role, "clients.contacts"))
    # A scanned loyalty card (a barcode scanner types the number and Enter) opens the card at once.
    if query and total == 1 and (rows[0].card_number or "").casefold() == query.casefold():
        return redirect(url_for(".card", client_id=rows[0].id))
    pages = max(math.ceil(total / PAGE_SIZE), 1)
    filters = {k: v for k, v in (("q", query), ("status", status), ("tag", tag),
                                 ("inactive", "1" if inactive else "")) if v}
    ctx = g.salon_ctx
    return render_template(
        "clients/index.html", rows=[(c, client_service.status_of(c, ctx)) for c in rows], total=total,
        query=query, status=status, tag=tag, inactive=inactive, number=number, pages=pages,
        first=(number - 1) * PAGE_SIZE + 1, last=(number - 1) * PAGE_SIZE + len(rows),
        filters=filters, tags=known_tags(), new_args=_new_client_args(query))


def _new_client_args(query: str) -> dict:
    """Prefill a new card from a search that found nobody: a phone, or a name."""
    if not query:
        return {}
    if len(digits_of(query)) >= 7 and not re.search(r"[^\d\s()+-]", query):
        return {"phone": query}
    return {"name": query}


from appliance.web import routes_client_card, routes_client_forms  # noqa: E402,F401  (routes on bp)
