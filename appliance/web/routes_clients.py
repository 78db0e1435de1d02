"""Client pages: list with search and filters, the client card, duplicates and merge (CL1-CL3, CL7).

Views read with peewee and write only through appliance.services.clients.
Every form is checked here first (so all its errors show at once, in the
user's language), then by the service; whatever the service still refuses
is shown next to its field too.
"""
import math
import re
from datetime import date
from decimal import Decimal

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from peewee import fn

from appliance.domain import booking_rules as rules
from appliance.domain.client_status import STATUSES
from appliance.domain.permissions import allowed
from appliance.domain.phones import PhoneError, digits_of, mask_phone, normalise_phone
from appliance.services import clients as client_service
from appliance.services.errors import Conflict, InvalidInput
from appliance.services.lookup import fetch
from appliance.storage.database import database
from appliance.storage.models.base import utc_now
from appliance.storage.models.bookings import Booking, BookingItem, GroupAttendee, GroupEvent
from appliance.storage.models.catalogue import Service, ServiceCategory, Staff
from appliance.storage.models.clients import Client
from appliance.web.session_auth import page

bp = Blueprint("web_clients", __name__)

PAGE_SIZE = 50
HISTORY_SHOWN = 20
MAX_EXTRA_PHONES = 5
MAX_TAGS = 20
GENDERS = ("female", "male", "other")
CHANNELS = ("sms", "telegram", "whatsapp", "calls", "email")
LIMITS = {"first_name": 100, "last_name": 100, "middle_name": 100, "source": 64, "card_number": 32,
          "notes": 4000, "allergies": 4000, "tag": 64}
TEXT_FIELDS = ("first_name", "last_name", "middle_name", "phone", "extra_phones", "email", "birthday",
               "gender", "source", "card_number", "tags", "notes", "allergies")
FORM_ORDER = ("phone", "extra_phones", "email", "birthday", "gender", "source", "card_number", "tags",
              "allergies", "notes", "pref_masters", "pref_services")
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


def _today() -> date:
    return utc_now().astimezone(g.salon_ctx.tz).date()


def age_on(birthday: date | None, today: date) -> int | None:
    """Full years on ``today``."""
    if birthday is None:
        return None
    return today.year - birthday.year - ((today.month, today.day) < (birthday.month, birthday.day))


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
    tag = request.args.get("tag", "").strip()[:LIMITS["tag"]]
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
        age=age_on(client.birthday, _today()), upcoming=upcoming,
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


# --- new and edit -----------------------------------------------------------------------------

@bp.route("/clients/new", methods=["GET", "POST"])
@page("clients.write")
def new():
    """Add a client; a phone already on a card is shown with a link and may be added anyway."""
    if request.method == "GET":
        values = _blank_values()
        values["phone"] = request.args.get("phone", "")[:32]
        words = request.args.get("name", "").split()[:3]
        if len(words) == 1:
            values["first_name"] = words[0]
        elif words and g.salon_ctx.salon.name_order == "first_last":
            values["first_name"], values["last_name"] = words[0], words[-1]
        elif words:
            values["last_name"], values["first_name"] = words[0], words[1]
        return _render_form(None, values, {})
    values = _values_from_form()
    data, errors = _parse(values, None)
    duplicate, status = None, 422
    if not errors:
        try:
            client = client_service.create_client(g.actor, data, allow_duplicate=values["allow_duplicate"])
        except InvalidInput as exc:
            errors = _service_errors(exc)
        except Conflict as exc:
            duplicate, status = _conflict(exc, errors)
        else:
            flash(_("Client added."), "success")
            return redirect(url_for(".card", client_id=client.id))
    return _render_form(None, values, errors, duplicate=duplicate), status


@bp.route("/clients/<client_id>/edit", methods=["GET", "POST"])
@page("clients.write")
def edit(client_id):
    """Change a client card."""
    client = fetch(Client, client_id)
    if request.method == "GET":
        return _render_form(client, _values_of(client), {})
    values = _values_from_form()
    data, errors = _parse(values, client)
    duplicate, status = None, 422
    if not errors:
        try:
            client_service.update_client(g.actor, client.id, data)
        except InvalidInput as exc:
            errors = _service_errors(exc)
        except Conflict as exc:
            duplicate, status = _conflict(exc, errors)
        else:
            flash(_("Changes saved."), "success")
            return redirect(url_for(".card", client_id=client.id))
    return _render_form(client, values, errors, duplicate=duplicate), status


def _conflict(exc: Conflict, errors: dict):
    """The card that already has this phone (for a link), and the status to answer with."""
    if exc.code != "duplicate_client":
        errors["_form"] = exc.message
        return None, 409
    owner = next((c["id"] for c in exc.conflicts if c.get("resource") == "client"), None)
    errors["phone"] = _("This phone is already on another card.")
    return Client.get_or_none(Client.id == owner), 409


def _render_form(client: Client | None, values: dict, errors: dict, duplicate: Client | None = None):
    # Masters and services no longer offered stay listed while a card prefers them.
    masters = list(Staff.select().where(((Staff.active == True) & (Staff.bookable == True))  # noqa: E712
                                        | Staff.id.in_(values["pref_masters"]))
                   .order_by(Staff.sort_order, Staff.last_name, Staff.first_name))
    services = list(Service.select(Service, ServiceCategory).join(ServiceCategory)
                    .where((Service.active == True) | Service.id.in_(values["pref_services"]))  # noqa: E712
                    .order_by(ServiceCategory.sort_order, ServiceCategory.name, Service.sort_order, Service.name))
    categories = {}
    for service in services:
        categories.setdefault(service.category.name, []).append(service)
    if g.salon_ctx.salon.name_order == "first_last":
        name_fields = ["first_name", "middle_name", "last_name"]
    else:
        name_fields = ["last_name", "first_name", "middle_name"]
    order = [*name_fields, *FORM_ORDER]
    focus = next((name for name in order if name in errors), None)
    if focus is None and client is None and not errors:
        focus = name_fields[0]
    return render_template("clients/form.html", client=client, values=values, errors=errors,
                           duplicate=duplicate, masters=masters, categories=categories, name_fields=name_fields,
                           focus=focus, tags=known_tags(), sources=known_sources(), today=_today())


def _blank_values() -> dict:
    values = {name: "" for name in TEXT_FIELDS}
    values.update(consents=[], pref_masters=[], pref_services=[], archived=False, allow_duplicate=False)
    return values


def _values_of(client: Client) -> dict:
    """A card as the form shows it."""
    preferences = client.preferences or {}
    return {
        "first_name": client.first_name, "last_name": client.last_name, "middle_name": client.middle_name,
        "phone": shown_phone(client.phone), "extra_phones": ", ".join(shown_phone(p) for p in client.extra_phones),
        "email": client.email or "", "birthday": client.birthday.isoformat() if client.birthday else "",
        "gender": client.gender or "", "source": client.source or "", "card_number": client.card_number or "",
        "tags": ", ".join(client.tags), "notes": client.notes, "allergies": client.allergies,
        "consents": [c for c in CHANNELS if (client.consents or {}).get(c)],
        "pref_masters": list(preferences.get("masters") or []),
        "pref_services": list(preferences.get("services") or []),
        "archived": not client.active, "allow_duplicate": False,
    }


def _values_from_form() -> dict:
    """What the user typed, exactly, to show again if anything is wrong."""
    form = request.form
    values = {name: form.get(name, "") for name in TEXT_FIELDS}
    values.update(consents=[c for c in form.getlist("consents") if c in CHANNELS],
                  pref_masters=form.getlist("pref_masters"), pref_services=form.getlist("pref_services"),
                  archived=form.get("archived") == "1", allow_duplicate=form.get("allow_duplicate") == "1")
    return values


def _split(text: str, separators: str) -> list[str]:
    return [part.strip() for part in re.split(separators, text) if part.strip()]


def _parse(values: dict, client: Client | None) -> tuple[dict, dict]:
    """Typed values -> (data for the service, {field: error})."""
    errors, data = {}, {}
    region = g.salon_ctx.region
    for name in ("first_name", "last_name", "middle_name"):
        data[name] = " ".join(values[name].split())
        if len(data[name]) > LIMITS[name]:
            errors[name] = _("At most %(count)d characters.", count=LIMITS[name])
    if not data["first_name"]:
        errors["first_name"] = _("Enter the first name.")

    phone = values["phone"].strip()
    data["phone"] = None
    if phone:
        try:
            data["phone"] = normalise_phone(phone, region)
        except PhoneError:
            errors["phone"] = _("Not a valid phone number. Check the digits and the country code.")
    extra = _split(values["extra_phones"], r"[,;\n]")
    data["extra_phones"] = []
    for raw in extra:
        try:
            data["extra_phones"].append(normalise_phone(raw, region))
        except PhoneError:
            errors["extra_phones"] = _("%(phone)s is not a valid phone number.", phone=raw)
            break
    if len(extra) > MAX_EXTRA_PHONES:
        errors["extra_phones"] = _("At most %(count)d extra phones.", count=MAX_EXTRA_PHONES)

    email = values["email"].strip()
    data["email"] = None
    if email:
        try:
            data["email"] = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError:
            errors["email"] = _("Not a valid email address.")

    data["birthday"] = None
    if values["birthday"].strip():
        try:
            birthday = date.fromisoformat(values["birthday"].strip())
        except ValueError:
            errors["birthday"] = _("Not a valid date.")
        else:
            if birthday > _today():
                errors["birthday"] = _("The birthday cannot be in the future.")
            elif birthday.year < 1900:
                errors["birthday"] = _("Check the year.")
            else:
                data["birthday"] = birthday

    gender = values["gender"]
    if gender and gender not in GENDERS:
        errors["gender"] = _("Choose from the list.")
    data["gender"] = gender or None

    for name in ("source", "card_number"):
        text = values[name].strip()
        if len(text) > LIMITS[name]:
            errors[name] = _("At most %(count)d characters.", count=LIMITS[name])
        data[name] = text or None
    if data["card_number"]:
        holder = (Client.select().where((fn.lower(Client.card_number) == data["card_number"].lower())
                                        & (Client.active == True)  # noqa: E712
                                        & (Client.id != (client.id if client else ""))).first())
        if holder is not None:
            errors["card_number"] = _("This card number is already on %(name)s's card.", name=client_name(holder))

    tags = list(dict.fromkeys(_split(values["tags"], r"[,;\n]")))
    if len(tags) > MAX_TAGS:
        errors["tags"] = _("At most %(count)d tags.", count=MAX_TAGS)
    elif any(len(t) > LIMITS["tag"] for t in tags):
        errors["tags"] = _("A tag can have at most %(count)d characters.", count=LIMITS["tag"])
    data["tags"] = tags

    for name in ("notes", "allergies"):
        data[name] = values[name].strip()
        if len(data[name]) > LIMITS[name]:
            errors[name] = _("At most %(count)d characters.", count=LIMITS[name])

    _parse_choices(values, client, data, errors)
    if client is not None and client.merged_into_id is None:
        data["active"] = not values["archived"]
    return data, errors


def _parse_choices(values: dict, client: Client | None, data: dict, errors: dict) -> None:
    """Consents and preferred masters and services, leaving untouched what the form does not show."""
    consents = {c: c in values["consents"] for c in CHANNELS}
    if client is None:
        if any(consents.values()):
            data["consents"] = consents
    elif any(bool((client.consents or {}).get(c)) != consents[c] for c in CHANNELS):
        data["consents"] = {**(client.consents or {}), **consents}

    chosen = {"masters": list(dict.fromkeys(values["pref_masters"])),
              "services": list(dict.fromkeys(values["pref_services"]))}
    for key, model in (("masters", Staff), ("services", Service)):
        if chosen[key] and model.select().where(model.id.in_(chosen[key])).count() != len(chosen[key]):
            errors["pref_" + key] = _("Choose from the list.")
    old = dict((client.preferences if client else None) or {})
    preferences = {k: v for k, v in old.items() if k not in chosen}
    preferences.update({k: v for k, v in chosen.items() if v})
    if preferences != old:
        data["preferences"] = preferences


def _service_errors(exc: InvalidInput) -> dict:
    """The service's {field: reason} mapped onto the form's fields."""
    errors = {}
    for field, reason in exc.fields:
        name = field.split(".")[0]
        if name == "phone":
            errors[name] = _("Not a valid phone number. Check the digits and the country code.")
        elif name == "extra_phones":
            errors[name] = _("One of the extra phones is not a valid phone number.")
        elif name in TEXT_FIELDS:
            errors[name] = reason
        else:
            errors["_form"] = reason
    return errors


# --- duplicates and merge ---------------------------------------------------------------------

@bp.get("/clients/duplicates")
@page("clients.merge")
def duplicates():
    """Active cards sharing a phone, to merge (CL7)."""
    groups = client_service.duplicate_groups()
    ids = [c.id for group in groups for c in group]
    bookings = dict(Booking.select(Booking.client, fn.COUNT(Booking.id)).where(Booking.client.in_(ids))
                    .group_by(Booking.client).tuples()) if ids else {}
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
    ids = [target.id, *(s.id for s in sources)]
    bookings = dict(Booking.select(Booking.client, fn.COUNT(Booking.id)).where(Booking.client.in_(ids))
                    .group_by(Booking.client).tuples())
    status = 422 if error else 200
    return render_template("clients/merge.html", target=target, sources=sources, bookings=bookings,
                           error=error, query=query, found=found), status
