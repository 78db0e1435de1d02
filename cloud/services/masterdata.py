"""The salons' master data as head office edits it: services and staff (SY2, SV1, SV6).

The cloud holds each row as its box's JSON snapshot (EntityRow: price as a
decimal string, ids as strings, ``category`` the category's id). Saving goes
through ``downstream.edit_row``, so the change is merged like any other and
queued for the salon's boxes. A form carries the row's revision (``crev``)
from when it was opened: if the row changed since (a box's edit came in),
the save is refused instead of quietly putting back the older values.
Nothing is deleted: a service or a person becomes inactive.
"""
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal

import uuid6

from cloud.services import downstream
from cloud.services.access import audit
from cloud.services.errors import Errors, NotFound, Refused
from cloud.services.money import from_snapshot, parse_amount, to_snapshot
from cloud.services.salons import profile
from cloud.storage.database import database
from cloud.storage.models import EntityRow
from cloud.storage.users import HeadOfficeUser

SERVICE, STAFF, CATEGORY = "service", "staff", "service_category"
STAFF_ROLES = ("owner", "manager", "administrator", "master")  # the box's staff roles
DURATION_MIN, DURATION_MAX = 5, 720
MONEY_FIELDS = frozenset({"price", "price_max"})


@dataclass(frozen=True)
class ServiceRow:
    """A service of a salon as the pages show it."""

    id: str
    name: str
    category_id: str
    category_name: str
    duration_min: int | None
    price: Decimal | None
    price_max: Decimal | None
    active: bool
    crev: int


@dataclass(frozen=True)
class StaffRow:
    """A person of a salon as the pages show them."""

    id: str
    first_name: str
    last_name: str
    role: str
    active: bool
    crev: int


def _rows(entity: str, salon_id: str):
    return EntityRow.select().where((EntityRow.salon_id == salon_id) & (EntityRow.entity == entity))


def categories(salon_id: str) -> list[dict]:
    """The salon's service categories: id, name (with its parents: "Hair › Colour"), active; by name."""
    rows = {r.entity_id: r.data for r in _rows(CATEGORY, salon_id)}

    def path(category_id: str, depth: int = 0) -> str:
        data = rows.get(category_id) or {}
        parent = data.get("parent")
        name = str(data.get("name") or category_id)
        return f"{path(parent, depth + 1)} › {name}" if parent in rows and depth < 10 else name

    found = [{"id": cid, "name": path(cid), "active": bool(data.get("active", True))} for cid, data in rows.items()]
    return sorted(found, key=lambda c: c["name"].casefold())


def _service(row: EntityRow, names: dict) -> ServiceRow:
    data = row.data
    duration = data.get("duration_min")
    return ServiceRow(id=row.entity_id, name=str(data.get("name") or ""), category_id=str(data.get("category") or ""),
                      category_name=names.get(data.get("category"), ""),
                      duration_min=duration if isinstance(duration, int) else None,
                      price=from_snapshot(data.get("price")), price_max=from_snapshot(data.get("price_max")),
                      active=bool(data.get("active", True)), crev=row.crev)


def services(salon_id: str) -> list[ServiceRow]:
    """The salon's services by category and name, inactive ones too."""
    names = {c["id"]: c["name"] for c in categories(salon_id)}
    found = [_service(row, names) for row in _rows(SERVICE, salon_id)]
    return sorted(found, key=lambda s: (s.category_name.casefold(), s.name.casefold(), s.id))


def service(salon_id: str, service_id: str) -> ServiceRow:
    """One service of the salon; NotFound if it is not the salon's."""
    return _service(_row(SERVICE, salon_id, service_id), {c["id"]: c["name"] for c in categories(salon_id)})


def _staff(row: EntityRow) -> StaffRow:
    data = row.data
    return StaffRow(id=row.entity_id, first_name=str(data.get("first_name") or ""),
                    last_name=str(data.get("last_name") or ""), role=str(data.get("role") or ""),
                    active=bool(data.get("active", True)), crev=row.crev)


def staff_members(salon_id: str) -> list[StaffRow]:
    """The salon's people by name, inactive ones too."""
    return sorted((_staff(r) for r in _rows(STAFF, salon_id)),
                  key=lambda s: (s.last_name.casefold(), s.first_name.casefold(), s.id))


def staff_member(salon_id: str, staff_id: str) -> StaffRow:
    """One person of the salon; NotFound if they are not the salon's."""
    return _staff(_row(STAFF, salon_id, staff_id))


def _row(entity: str, salon_id: str, entity_id: str, lock: bool = False) -> EntityRow:
    query = EntityRow.select().where((EntityRow.entity == entity) & (EntityRow.entity_id == entity_id)
                                     & (EntityRow.salon_id == salon_id))
    row = (query.for_update() if lock else query).first()
    if row is None:
        raise NotFound(f"no such {entity}")
    return row


def _text(errors: Errors, values: dict, name: str, max_length: int, required: bool = True) -> str:
    value = str(values.get(name) or "").strip()
    if required and not value:
        errors.add(name, "required")
    elif len(value) > max_length:
        errors.add(name, "too_long", n=max_length)
    return value


def _duration(errors: Errors, text) -> int | None:
    text = str(text or "").strip()
    if not text:
        errors.add("duration_min", "required")
    elif not text.isdigit() or len(text) > 6:
        errors.add("duration_min", "whole_number")
    elif not DURATION_MIN <= int(text) <= DURATION_MAX:
        errors.add("duration_min", "number_range", low=DURATION_MIN, high=DURATION_MAX)
    else:
        return int(text)
    return None


def _money(errors: Errors, values: dict, name: str, currency: str, required: bool) -> Decimal | None:
    text = str(values.get(name) or "").strip()
    if not text:
        if required:
            errors.add(name, "required_price")
        return None
    amount, problem = parse_amount(text, currency)
    if problem:
        errors.add(name, problem[0], **problem[1])
    return amount


def check_service(values: dict, currency: str, category_ids) -> dict:
    """Clean service fields (``name``, ``category``, ``duration_min``, ``price``, ``price_max``, ``active``) typed
    by a person, in snapshot form; InvalidInput naming every wrong field."""
    errors = Errors()
    name = _text(errors, values, "name", 200)
    category = str(values.get("category") or "")
    if not category:
        errors.add("category", "choose")
    elif category not in category_ids:
        errors.add("category", "unknown_category")
    duration = _duration(errors, values.get("duration_min"))
    price = _money(errors, values, "price", currency, required=True)
    price_max = _money(errors, values, "price_max", currency, required=False)
    if price is not None and price_max is not None and price_max < price:
        errors.add("price_max", "below_price")
    errors.raise_if_any()
    return {"name": name, "category": category, "duration_min": duration, "price": to_snapshot(price),
            "price_max": to_snapshot(price_max), "active": bool(values.get("active"))}


def check_staff(values: dict) -> dict:
    """Clean staff fields (``first_name``, ``last_name``, ``role``, ``active``); InvalidInput otherwise."""
    errors = Errors()
    first = _text(errors, values, "first_name", 100)
    last = _text(errors, values, "last_name", 100, required=False)
    role = str(values.get("role") or "")
    if role not in STAFF_ROLES:
        errors.add("role", "choose")
    errors.raise_if_any()
    return {"first_name": first, "last_name": last, "role": role, "active": bool(values.get("active"))}


def _same(name: str, old, new) -> bool:
    if name in MONEY_FIELDS:
        return from_snapshot(old) == from_snapshot(new)
    return old == new


def _save(actor, row: EntityRow, clean: dict, crev: int | None, action: str) -> EntityRow:
    if crev is not None and crev != row.crev:
        raise Refused("changed_meanwhile")
    changes = {k: v for k, v in clean.items() if not _same(k, row.data.get(k), v)}
    if not changes:
        return row
    saved = downstream.edit_row(row.entity, row.entity_id, row.salon_id, changes)
    audit(actor, action(changes) if callable(action) else action, row.entity, row.entity_id,
                 {"changes": {k: [row.data.get(k), v] for k, v in changes.items()}}, salon_id=row.salon_id)
    return saved


def _service_action(changes: dict) -> str:
    return "service.price_changed" if MONEY_FIELDS & changes.keys() else "service.changed"


def update_service(actor: HeadOfficeUser | None, salon_id: str, service_id: str, values: dict,
                   crev: int | None = None) -> EntityRow:
    """Save a head-office edit of one of the salon's services; it goes down to the salon's boxes."""
    currency = profile(salon_id).currency
    with database.atomic():
        row = _row(SERVICE, salon_id, service_id, lock=True)
        allowed = {c["id"] for c in categories(salon_id) if c["active"]} | {row.data.get("category")}
        return _save(actor, row, check_service(values, currency, allowed), crev, _service_action)


def create_service(actor: HeadOfficeUser | None, salon_id: str, values: dict) -> EntityRow:
    """A new service (UUIDv7 id) in one of the salon's active categories; it goes down to the salon's boxes."""
    currency = profile(salon_id).currency
    clean = check_service(values, currency, {c["id"] for c in categories(salon_id) if c["active"]})
    now = datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")
    # The whole row, as the box's own snapshot would have it: the box inserts what comes down.
    row = {"description": "", "buffer_min": 0, "room_type": None, "equipment_type": None, "bookable_online": True,
           "sort_order": 0, **clean, "created_at": now, "updated_at": now}
    service_id = str(uuid6.uuid7())
    with database.atomic():
        saved = downstream.edit_row(SERVICE, service_id, salon_id, row)
        audit(actor, "service.created", SERVICE, service_id, {"values": clean}, salon_id=salon_id)
    return saved


def update_staff(actor: HeadOfficeUser | None, salon_id: str, staff_id: str, values: dict,
                 crev: int | None = None) -> EntityRow:
    """Save a head-office edit of one of the salon's people; a role change is audited as a permission change."""
    with database.atomic():
        row = _row(STAFF, salon_id, staff_id, lock=True)
        clean = check_staff(values)
        return _save(actor, row, clean, crev, lambda c: "staff.role_changed" if "role" in c else "staff.changed")
