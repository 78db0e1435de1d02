"""Staff members, their sign-in, roles and skills (ST1, ST3, PL1)."""
from appliance.domain.permissions import OWNER, STAFF_ROLES
from appliance.domain.phones import PhoneError, normalise_phone
from appliance.services.audit import audit
from appliance.services.auth import hash_password
from appliance.services.catalogue import check_price
from appliance.services.context import Actor, SalonContext
from appliance.services.errors import Forbidden, InvalidInput
from appliance.services.lookup import apply_changes, fetch
from appliance.storage.database import database
from appliance.storage.models.catalogue import Service, Staff, StaffService

STAFF_FIELDS = {"first_name", "last_name", "position", "role", "phone", "email", "bookable",
                "color", "sort_order", "username", "locale", "active"}


def _check_role_change(actor: Actor, role: str) -> None:
    if role not in STAFF_ROLES:
        raise InvalidInput("role", f"must be one of {', '.join(STAFF_ROLES)}")
    if role == OWNER and actor.role != OWNER:
        raise Forbidden("only an owner can make someone an owner")


def _normalised_phone(raw: str | None) -> str | None:
    if not raw:
        return None
    try:
        return normalise_phone(raw, SalonContext.load().region)
    except PhoneError as exc:
        raise InvalidInput("phone", str(exc)) from None


def _check_username(username: str | None, staff_id: str | None = None) -> None:
    if username is None:
        return
    clash = Staff.get_or_none(Staff.username == username)
    if clash is not None and clash.id != staff_id:
        raise InvalidInput("username", "is taken")


def create_staff(actor: Actor, data: dict) -> Staff:
    """Add a staff member; a password, if given, is stored as an argon2 hash."""
    data = dict(data)
    _check_role_change(actor, data["role"])
    _check_username(data.get("username"))
    data["phone"] = _normalised_phone(data.get("phone"))
    password = data.pop("password", None)
    if password is not None:
        if not data.get("username"):
            raise InvalidInput("username", "is required to set a password")
        data["password_hash"] = hash_password(password)
    with database.atomic():
        staff = Staff.create(**data)
        audit(actor, "staff.role_granted", "staff", staff.id, {"role": staff.role})
    return staff


def update_staff(actor: Actor, staff_id: str, changes: dict) -> Staff:
    """Edit a staff member; role and password changes are audited as permission changes."""
    staff = fetch(Staff, staff_id)
    changes = dict(changes)
    password = changes.pop("password", None)
    if "role" in changes:
        _check_role_change(actor, changes["role"])
    touches_access = {"role", "username", "active"} & set(changes) or password is not None
    if staff.role == OWNER and actor.role != OWNER and touches_access:
        raise Forbidden("only an owner can change an owner's role, sign-in or password")
    if "phone" in changes:
        changes["phone"] = _normalised_phone(changes["phone"])
    _check_username(changes.get("username"), staff.id)
    with database.atomic():
        diff = apply_changes(staff, changes, STAFF_FIELDS)
        if password is not None:
            if not staff.username:
                raise InvalidInput("username", "is required to set a password")
            staff.password_hash = hash_password(password)
            audit(actor, "staff.password_set", "staff", staff.id)
        if diff or password is not None:
            staff.save()
        if "role" in diff or "active" in diff:
            audit(actor, "staff.access_changed", "staff", staff.id,
                  {k: [str(v[0]), str(v[1])] for k, v in diff.items() if k in ("role", "active")})
    return staff


def set_skills(actor: Actor, staff_id: str, skills: list[dict]) -> list[StaffService]:
    """Replace the services a master performs; dropped skills become inactive, never deleted."""
    staff = fetch(Staff, staff_id)
    currency = SalonContext.load().currency
    wanted = {}
    for index, skill in enumerate(skills):
        fetch(Service, skill["service_id"], field=f"skills.{index}.service_id")
        check_price(f"skills.{index}.price", skill.get("price"), currency)
        check_price(f"skills.{index}.price_max", skill.get("price_max"), currency)
        if skill.get("price_max") is not None and (skill.get("price") is None or skill["price_max"] < skill["price"]):
            raise InvalidInput(f"skills.{index}.price_max", "needs a price and must not be below it")
        if skill["service_id"] in wanted:
            raise InvalidInput(f"skills.{index}.service_id", "listed twice")
        wanted[skill["service_id"]] = skill
    with database.atomic():
        existing = {s.service_id: s for s in StaffService.select().where(StaffService.staff == staff)}
        for service_id, row in existing.items():
            if service_id not in wanted and row.active:
                row.active = False
                row.save()
        for service_id, skill in wanted.items():
            row = existing.get(service_id)
            values = {"duration_min": skill.get("duration_min"), "price": skill.get("price"),
                      "price_max": skill.get("price_max"), "active": True}
            if row is None:
                StaffService.create(staff=staff, service_id=service_id, **values)
            elif apply_changes(row, values, set(values)):
                row.save()
        audit(actor, "staff.skills_set", "staff", staff.id, {"services": sorted(wanted)})
    return active_skills(staff.id)


def active_skills(staff_id: str) -> list[StaffService]:
    """The services a master performs now."""
    return list(StaffService.select().where((StaffService.staff == staff_id) & (StaffService.active == True)))  # noqa: E712
