"""Catalogue use cases: categories, services, rooms, equipment (SV1, BK2)."""
from decimal import Decimal

from appliance.domain.money import MoneyError, check_money
from appliance.services.audit import audit
from appliance.services.context import Actor, SalonContext
from appliance.services.errors import InvalidInput
from appliance.services.lookup import apply_changes, fetch
from appliance.storage.database import database
from appliance.storage.models.catalogue import Equipment, Room, Service, ServiceCategory

SERVICE_FIELDS = {"category_id", "name", "description", "duration_min", "buffer_min", "price",
                  "price_max", "room_type", "equipment_type", "bookable_online", "sort_order", "active"}


def check_price(field: str, amount: Decimal | None, currency: str) -> None:
    """Refuse negative or over-precise prices, naming the field."""
    if amount is None:
        return
    try:
        check_money(amount, currency)
    except MoneyError as exc:
        raise InvalidInput(field, str(exc)) from None


def _check_service(data: dict, currency: str, category_changed: bool = True) -> None:
    check_price("price", data.get("price"), currency)
    check_price("price_max", data.get("price_max"), currency)
    if data.get("price_max") is not None and data["price_max"] < data["price"]:
        raise InvalidInput("price_max", "must not be below price")
    if category_changed:  # a service of a category retired later must stay editable
        fetch(ServiceCategory, data["category_id"], field="category_id", active_only=True)


def create_category(actor: Actor, data: dict) -> ServiceCategory:
    """Add a catalogue node, optionally under a parent."""
    if data.get("parent_id"):
        fetch(ServiceCategory, data["parent_id"], field="parent_id", active_only=True)
    return ServiceCategory.create(**data)


def update_category(actor: Actor, category_id: str, changes: dict) -> ServiceCategory:
    """Rename, reorder, move or deactivate a category."""
    category = fetch(ServiceCategory, category_id)
    if changes.get("parent_id"):
        parent = fetch(ServiceCategory, changes["parent_id"], field="parent_id", active_only=True)
        while parent is not None:  # walk up: the new parent must not be this category or below it
            if parent.id == category_id:
                raise InvalidInput("parent_id", "a category cannot be placed under itself")
            parent = parent.parent
    if apply_changes(category, changes, {"name", "parent_id", "sort_order", "active"}):
        category.save()
    return category


def create_service(actor: Actor, data: dict) -> Service:
    """Add a service; its price is audited as money."""
    ctx = SalonContext.load()
    _check_service(data, ctx.currency)
    with database.atomic():
        service = Service.create(**data)
        audit(actor, "service.price_set", "service", service.id,
              {"price": str(service.price), "price_max": str(service.price_max)})
    return service


def update_service(actor: Actor, service_id: str, changes: dict) -> Service:
    """Change a service; price changes are audited with old and new values."""
    ctx = SalonContext.load()
    service = fetch(Service, service_id)
    with database.atomic():
        diff = apply_changes(service, changes, SERVICE_FIELDS)
        _check_service({f: getattr(service, f) for f in ("price", "price_max", "category_id")},
                       ctx.currency, category_changed="category_id" in diff)
        if diff:
            service.save()
        money = {k: [str(v[0]), str(v[1])] for k, v in diff.items() if k in ("price", "price_max")}
        if money:
            audit(actor, "service.price_changed", "service", service.id, money)
    return service


def create_room(actor: Actor, data: dict) -> Room:
    """Add a room or workplace."""
    return Room.create(**data)


def update_room(actor: Actor, room_id: str, changes: dict) -> Room:
    """Rename, retype, resize or deactivate a room."""
    room = fetch(Room, room_id)
    if apply_changes(room, changes, {"name", "room_type", "capacity", "active"}):
        room.save()
    return room


def create_equipment(actor: Actor, data: dict) -> Equipment:
    """Add a piece of equipment."""
    return Equipment.create(**data)


def update_equipment(actor: Actor, equipment_id: str, changes: dict) -> Equipment:
    """Rename, retype or deactivate equipment."""
    equipment = fetch(Equipment, equipment_id)
    if apply_changes(equipment, changes, {"name", "equipment_type", "active"}):
        equipment.save()
    return equipment
