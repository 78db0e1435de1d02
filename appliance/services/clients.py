"""Client cards: create, edit, search, duplicates and merge (CL1, CL2, CL7)."""
import json
from datetime import timedelta

from peewee import fn

from appliance.domain.client_status import LOST, NEW, POTENTIAL, REGULAR, client_status
from appliance.domain.phones import PhoneError, digits_of, normalise_phone
from appliance.services.audit import audit
from appliance.services.context import Actor, SalonContext
from appliance.services.errors import Conflict, InvalidInput
from appliance.services.lookup import apply_changes, fetch
from appliance.storage.database import database
from appliance.storage.models.base import utc_now
from appliance.storage.models.bookings import Booking, GroupAttendee
from appliance.storage.models.clients import Client

# Set on creation only: a card imported from another program (CL8, the demo) keeps its history.
IMPORTED_FIELDS = {"joined_on", "visit_count", "first_visit_at", "last_visit_at"}
CLIENT_FIELDS = {"first_name", "last_name", "middle_name", "phone", "extra_phones", "email",
                 "birthday", "gender", "source", "notes", "allergies", "preferences", "consents",
                 "tags", "card_number", "active"}


def search_text(client: Client) -> str:
    """Names casefolded, then phone digits and card number, for one LIKE per search word."""
    words = " ".join(p for p in (client.last_name, client.first_name, client.middle_name) if p).casefold()
    phones = [client.phone or "", *(client.extra_phones or [])]
    digits = " ".join(digits_of(p) for p in phones if p)
    return " ".join(p for p in (words, digits, (client.card_number or "").casefold()) if p)


def _normalise_phones(data: dict, region: str) -> None:
    if data.get("phone"):
        try:
            data["phone"] = normalise_phone(data["phone"], region)
        except PhoneError as exc:
            raise InvalidInput("phone", str(exc)) from None
    elif "phone" in data:
        data["phone"] = None
    if data.get("extra_phones"):
        normalised = []
        for index, raw in enumerate(data["extra_phones"]):
            try:
                normalised.append(normalise_phone(raw, region))
            except PhoneError as exc:
                raise InvalidInput(f"extra_phones.{index}", str(exc)) from None
        data["extra_phones"] = list(dict.fromkeys(normalised))
    if "tags" in data and data["tags"] is not None:
        data["tags"] = sorted({t.strip() for t in data["tags"] if t.strip()})


def _refuse_duplicate_phone(phone: str | None, own_id: str | None = None) -> None:
    if not phone:
        return
    clash = (Client.select().where((Client.phone == phone) & (Client.active == True)  # noqa: E712
                                   & (Client.id != (own_id or ""))).first())
    if clash is not None:
        raise Conflict(f"a client with phone {phone} already exists",
                       [{"resource": "client", "id": clash.id, "field": "phone"}], code="duplicate_client")


def create_client(actor: Actor, data: dict, allow_duplicate: bool = False) -> Client:
    """Add a client card; a phone already on an active card is refused unless allowed."""
    ctx = SalonContext.load()
    data = dict(data)
    for name in data:
        if name not in CLIENT_FIELDS | IMPORTED_FIELDS:
            raise InvalidInput(name, "cannot be set on a client")
    _normalise_phones(data, ctx.region)
    if not allow_duplicate:
        _refuse_duplicate_phone(data.get("phone"))
    data.setdefault("joined_on", utc_now().astimezone(ctx.tz).date())
    client = Client(**data)
    client.search_text = search_text(client)
    client.save(force_insert=True)
    return client


def update_client(actor: Actor, client_id: str, changes: dict) -> Client:
    """Edit a client card."""
    ctx = SalonContext.load()
    client = fetch(Client, client_id)
    changes = dict(changes)
    _normalise_phones(changes, ctx.region)
    if changes.get("phone"):
        _refuse_duplicate_phone(changes["phone"], client.id)
    if apply_changes(client, changes, CLIENT_FIELDS):
        client.search_text = search_text(client)
        client.save()
    return client


def status_of(client: Client, ctx: SalonContext) -> str:
    """The client's lifecycle status now (CL2)."""
    return client_status(client.visit_count, client.last_visit_at, utc_now(), ctx.salon.lost_after_days)


def search_clients(query: str = "", status: str | None = None, tag: str | None = None,
                   include_inactive: bool = False, limit: int = 50, offset: int = 0,
                   by_phone: bool = True):
    """Clients matching every word of ``query`` (name part, phone digits or card number).

    Returns (rows, total). Status is computed from visit counters, so the
    filter is expressed in SQL over the same rule as ``client_status``.
    ``by_phone=False`` (roles that may not see contacts) drops digit words,
    so a search cannot reveal whose a phone number is.
    """
    ctx = SalonContext.load()
    where = [Client.active == True] if not include_inactive else []  # noqa: E712
    for word in query.split():
        is_digits = digits_of(word) == word.lstrip("+") and digits_of(word)
        if is_digits and not by_phone:
            continue
        token = digits_of(word) if is_digits else word.casefold()
        if token:
            # instr() matches a plain substring: no LIKE wildcards to escape.
            where.append(fn.instr(Client.search_text, token) > 0)
    if tag:
        where.append(fn.instr(Client.tags, json.dumps(tag, ensure_ascii=False)) > 0)
    if status:
        where.append(_status_condition(status, ctx))
    base = Client.select()
    for condition in where:
        base = base.where(condition)
    total = base.count()
    rows = list(base.order_by(Client.last_name, Client.first_name, Client.id).limit(limit).offset(offset))
    return rows, total


def _status_condition(status: str, ctx: SalonContext):
    cutoff = utc_now() - timedelta(days=ctx.salon.lost_after_days)
    if status == POTENTIAL:
        return (Client.visit_count <= 0) | Client.last_visit_at.is_null()
    visited = (Client.visit_count > 0) & Client.last_visit_at.is_null(False)
    if status == LOST:
        return visited & (Client.last_visit_at < cutoff)
    recent = visited & (Client.last_visit_at >= cutoff)
    if status == NEW:
        return recent & (Client.visit_count == 1)
    if status == REGULAR:
        return recent & (Client.visit_count > 1)
    raise InvalidInput("status", f"must be one of {POTENTIAL}, {NEW}, {REGULAR}, {LOST}")


def duplicate_groups() -> list[list[Client]]:
    """Active clients sharing a normalised phone, as groups to offer for merging (CL7)."""
    phones = (Client.select(Client.phone).where((Client.active == True) & Client.phone.is_null(False))  # noqa: E712
              .group_by(Client.phone).having(fn.COUNT(Client.id) > 1))
    groups = {}
    for client in Client.select().where((Client.active == True) & (Client.phone.in_(phones))  # noqa: E712
                                        ).order_by(Client.created_at):
        groups.setdefault(client.phone, []).append(client)
    return list(groups.values())


def merge_clients(actor: Actor, target_id: str, source_id: str) -> Client:
    """Fold ``source`` into ``target``: history moves over, source becomes inactive.

    Nothing is deleted: the source card stays, inactive, pointing at the target.
    """
    if target_id == source_id:
        raise InvalidInput("source_id", "cannot merge a client into itself")
    target = fetch(Client, target_id, active_only=True)
    source = fetch(Client, source_id, field="source_id", active_only=True)
    with database.atomic():
        for booking in Booking.select().where(Booking.client == source):
            booking.client = target
            booking.save()
        for attendee in GroupAttendee.select().where(GroupAttendee.client == source):
            attendee.client = target
            attendee.save()
        _fold_card(target, source)
        source.active = False
        source.merged_into = target
        source.save()
        audit(actor, "client.merged", "client", target.id, {"source_id": source.id})
    return target


def _fold_card(target: Client, source: Client) -> None:
    phones = [p for p in [source.phone, *source.extra_phones] if p and p != target.phone]
    target.extra_phones = list(dict.fromkeys([*target.extra_phones, *phones]))
    target.tags = sorted(set(target.tags) | set(source.tags))
    for name in ("email", "birthday", "gender", "source", "card_number"):
        if getattr(target, name) in (None, "") and getattr(source, name) not in (None, ""):
            setattr(target, name, getattr(source, name))
    for name in ("notes", "allergies"):
        parts = [p for p in (getattr(target, name), getattr(source, name)) if p]
        setattr(target, name, "\n".join(dict.fromkeys(parts)))
    target.visit_count += source.visit_count
    visits = [v for v in (target.first_visit_at, source.first_visit_at) if v]
    target.first_visit_at = min(visits) if visits else None
    visits = [v for v in (target.last_visit_at, source.last_visit_at) if v]
    target.last_visit_at = max(visits) if visits else None
    target.joined_on = min(target.joined_on, source.joined_on)
    target.search_text = search_text(target)
    target.save()


def record_visit(client: Client, visited_at) -> None:
    """Count a completed visit on the card (status is derived from these counters)."""
    client.visit_count += 1
    client.first_visit_at = min(filter(None, [client.first_visit_at, visited_at]))
    client.last_visit_at = max(filter(None, [client.last_visit_at, visited_at]))
    client.save()

