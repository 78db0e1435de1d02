"""The new-client and edit-client forms (CL1, CL3); routes hang on the web_clients blueprint.

Every form is checked here first (so all its errors show at once, in the user's
language), then by appliance.services.clients; whatever the service still refuses
is shown next to its field too.
"""
import re
from datetime import date

from email_validator import EmailNotValidError, validate_email
from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from peewee import fn

from appliance.domain.phones import PhoneError, normalise_phone
from appliance.services import clients as client_service
from appliance.services.errors import Conflict, InvalidInput
from appliance.services.lookup import fetch
from appliance.storage.models.catalogue import Service, ServiceCategory, Staff
from appliance.storage.models.clients import Client
from appliance.web.routes_clients import (CHANNELS, TAG_LIMIT, bp, client_name, known_sources, known_tags,
                                          salon_today, shown_phone)
from appliance.web.session_auth import page

MAX_EXTRA_PHONES = 5
MAX_TAGS = 20
GENDERS = ("female", "male", "other")
LIMITS = {"first_name": 100, "last_name": 100, "middle_name": 100, "source": 64, "card_number": 32,
          "notes": 4000, "allergies": 4000, "tag": TAG_LIMIT}
TEXT_FIELDS = ("first_name", "last_name", "middle_name", "phone", "extra_phones", "email", "birthday",
               "gender", "source", "card_number", "tags", "notes", "allergies")
FORM_ORDER = ("phone", "extra_phones", "email", "birthday", "gender", "source", "card_number", "tags",
              "allergies", "notes", "pref_masters", "pref_services")


# --- new and edit -----------------------------------------------------------------------------

@bp.route("/clients/new", methods=["GET", "POST"])
@page("clients.write")
def new():
    """Add a client; a phone already on a card is shown with a link and may be added anyway."""
    if request.method == "GET":
        return _render_form(None, _values_from_search(), {})
    values = _values_from_form()
    return _submit(None, values, lambda data: client_service.create_client(
        g.actor, data, allow_duplicate=values["allow_duplicate"]), _("Client added."))


@bp.route("/clients/<client_id>/edit", methods=["GET", "POST"])
@page("clients.write")
def edit(client_id):
    """Change a client card."""
    client = fetch(Client, client_id)
    if request.method == "GET":
        return _render_form(client, _values_of(client), {})
    values = _values_from_form()
    return _submit(client, values, lambda data: client_service.update_client(g.actor, client.id, data),
                   _("Changes saved."))


def _submit(client, values: dict, save, saved_message: str):
    """Check the typed values and save them: the card on success, else the form with the reasons."""
    data, errors = _parse(values, client)
    duplicate, status = None, 422
    if not errors:
        try:
            saved = save(data)
        except InvalidInput as exc:
            errors = _service_errors(exc)
        except Conflict as exc:
            duplicate, status = _conflict(exc, errors)
        else:
            flash(saved_message, "success")
            return redirect(url_for(".card", client_id=saved.id))
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
                           focus=focus, tags=known_tags(), sources=known_sources(), today=salon_today())


# --- what the form shows ----------------------------------------------------------------------

def _blank_values() -> dict:
    values = {name: "" for name in TEXT_FIELDS}
    values.update(consents=[], pref_masters=[], pref_services=[], archived=False, allow_duplicate=False)
    return values


def _values_from_search() -> dict:
    """A blank form, prefilled with the phone or name a search found nobody by."""
    values = _blank_values()
    values["phone"] = request.args.get("phone", "")[:32]
    words = request.args.get("name", "").split()[:3]
    if len(words) == 1:
        values["first_name"] = words[0]
    elif words and g.salon_ctx.salon.name_order == "first_last":
        values["first_name"], values["last_name"] = words[0], words[-1]
    elif words:
        values["last_name"], values["first_name"] = words[0], words[1]
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


# --- checking what was typed ------------------------------------------------------------------

def _split(text: str, separators: str) -> list[str]:
    return [part.strip() for part in re.split(separators, text) if part.strip()]


def _parse(values: dict, client: Client | None) -> tuple[dict, dict]:
    """Typed values -> (data for the service, {field: error})."""
    errors, data = {}, {}
    _parse_names(values, data, errors)
    _parse_contacts(values, data, errors)
    _parse_birthday(values, data, errors)
    _parse_gender_source_and_card(values, client, data, errors)
    _parse_tags_and_notes(values, data, errors)
    _parse_choices(values, client, data, errors)
    if client is not None and client.merged_into_id is None:
        data["active"] = not values["archived"]
    return data, errors


def _parse_names(values: dict, data: dict, errors: dict) -> None:
    """First, last and middle name: spaces squeezed, the first name required."""
    for name in ("first_name", "last_name", "middle_name"):
        data[name] = " ".join(values[name].split())
        if len(data[name]) > LIMITS[name]:
            errors[name] = _("At most %(count)d characters.", count=LIMITS[name])
    if not data["first_name"]:
        errors["first_name"] = _("Enter the first name.")


def _parse_contacts(values: dict, data: dict, errors: dict) -> None:
    """Phones in E.164 (national numbers in the salon's region) and the e-mail, normalised."""
    region = g.salon_ctx.region
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


def _parse_birthday(values: dict, data: dict, errors: dict) -> None:
    """An ISO date, not in the future and not before 1900."""
    data["birthday"] = None
    if values["birthday"].strip():
        try:
            birthday = date.fromisoformat(values["birthday"].strip())
        except ValueError:
            errors["birthday"] = _("Not a valid date.")
        else:
            if birthday > salon_today():
                errors["birthday"] = _("The birthday cannot be in the future.")
            elif birthday.year < 1900:
                errors["birthday"] = _("Check the year.")
            else:
                data["birthday"] = birthday


def _parse_gender_source_and_card(values: dict, client: Client | None, data: dict, errors: dict) -> None:
    """Gender from the list, the source, and a card number no other active card holds."""
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


def _parse_tags_and_notes(values: dict, data: dict, errors: dict) -> None:
    """Tags without repeats, notes and allergies, each within its limit."""
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
