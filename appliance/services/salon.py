"""The salon's own settings (BK13): zone, currency, opening hours."""
from appliance.domain.money import SUPPORTED_CURRENCIES
from appliance.domain.phones import PhoneError, normalise_phone
from appliance.domain.schedule import check_day
from appliance.domain.wallclock import LocalTimeError, zone
from appliance.services.audit import audit
from appliance.services.context import Actor, SalonContext
from appliance.services.errors import Conflict, InvalidInput
from appliance.services.lookup import apply_changes
from appliance.storage.database import database
from appliance.storage.models.catalogue import Salon

SALON_FIELDS = {"name", "timezone", "currency", "country", "address", "phone", "opening_hours",
                "slot_step_min", "lost_after_days", "name_order"}


def current() -> Salon:
    """The salon of this box."""
    return SalonContext.load().salon


def _check(data: dict) -> dict:
    data = dict(data)
    if "timezone" in data:
        try:
            zone(data["timezone"])
        except LocalTimeError as exc:
            raise InvalidInput("timezone", str(exc)) from None
    if "currency" in data and data["currency"] not in SUPPORTED_CURRENCIES:
        raise InvalidInput("currency", f"must be one of {', '.join(SUPPORTED_CURRENCIES)}")
    for index, day in enumerate(data.get("opening_hours") or []):
        try:
            check_day(day)
        except ValueError as exc:
            raise InvalidInput(f"opening_hours.{index}", str(exc)) from None
    if data.get("phone"):
        try:
            data["phone"] = normalise_phone(data["phone"], data.get("country") or current().country)
        except PhoneError as exc:
            raise InvalidInput("phone", str(exc)) from None
    return data


def set_up(actor: Actor, data: dict) -> Salon:
    """Create the box's salon; a box serves exactly one."""
    if Salon.select().exists():
        raise Conflict("this box already has its salon", code="already_set_up")
    data = _check(data)
    with database.atomic():
        salon = Salon.create(**data)
        audit(actor, "salon.set_up", "salon", salon.id, {"currency": salon.currency, "timezone": salon.timezone})
    return salon


def update(actor: Actor, changes: dict) -> Salon:
    """Change the salon's settings; zone and currency changes are audited."""
    salon = current()
    changes = _check(changes)
    with database.atomic():
        diff = apply_changes(salon, changes, SALON_FIELDS)
        if diff:
            salon.save()
        watched = {k: [str(v[0]), str(v[1])] for k, v in diff.items() if k in ("timezone", "currency")}
        if watched:
            audit(actor, "salon.changed", "salon", salon.id, watched)
    return salon
