"""The fleet as the head-office pages use it: checked, audited registering and revoking, and the view (CO6, SY5).

Wraps ``cloud.services.fleet`` (which the sync side owns): the view adds each
box's salon name and counts the open conflicts the box took part in, and
register/revoke check what a person typed and write the audit log. Revoking
here makes the cloud refuse the box's messages; its broker account is
disabled separately (cloud/broker, ``BrokerAdmin.revoke_box``).
"""
import uuid

from cloud.services import fleet
from cloud.services.access import audit
from cloud.services.errors import Errors, NotFound, Refused
from cloud.services.problems import conflict_counts_by_box
from cloud.services.salons import all_profiles
from cloud.storage.database import database
from cloud.storage.models import Box, Salon
from cloud.storage.users import HeadOfficeUser


def fleet_rows() -> list[dict]:
    """Every box (fleet.fleet_view) with ``salon_name`` and its own ``open_conflicts``."""
    names = {p.id: p.name for p in all_profiles()}
    conflicts = conflict_counts_by_box()
    rows = fleet.fleet_view()
    for row in rows:
        row["salon_name"] = names.get(row["salon_id"], "") if row["salon_id"] else ""
        row["open_conflicts"] = conflicts.get(row["id"], 0)
    return rows


def summary(rows: list[dict]) -> dict:
    """Totals over the fleet for the top of the page."""
    active = [r for r in rows if r["status"] == "active"]
    return {"boxes": len(rows), "online": sum(1 for r in active if r["online"]),
            "offline": sum(1 for r in active if not r["online"]), "revoked": len(rows) - len(active),
            "backlog": sum(r["backlog"] for r in active), "down_pending": sum(r["down_pending"] for r in active),
            "dead_letters": sum(r["dead_letters"] for r in rows),
            "open_conflicts": sum(r["open_conflicts"] for r in rows)}


def _canonical_id(text: str) -> str | None:
    # A box id is its broker username: a UUID in canonical lower-case form (cloud.broker.provisioning).
    try:
        return str(uuid.UUID(text)) if text and len(text) <= 40 else None
    except ValueError:
        return None


def register(actor: HeadOfficeUser | None, values: dict) -> Box:
    """Register a box (``box_id``, ``name``, optional ``salon_id``); a revoked one is reactivated. Audited."""
    errors = Errors()
    box_id = _canonical_id(str(values.get("box_id") or "").strip().lower())
    name = str(values.get("name") or "").strip()
    salon_id = str(values.get("salon_id") or "") or None
    if box_id is None:
        errors.add("box_id", "box_id_format")
    if not name:
        errors.add("name", "required")
    elif len(name) > 200:
        errors.add("name", "too_long", n=200)
    if salon_id and not Salon.select().where(Salon.id == salon_id).exists():
        errors.add("salon_id", "choose")
    errors.raise_if_any()
    with database.atomic():
        existing = Box.select().where(Box.id == box_id).for_update().first()
        if existing is not None and existing.status == "active":
            raise Refused("box_registered", "box_id")
        if existing is not None and salon_id and existing.salon_id and existing.salon_id != salon_id:
            raise Refused("box_other_salon", "salon_id")  # a box's salon is fixed by what it first reported
        box = fleet.register_box(box_id, name, salon_id)
        if existing is not None and salon_id and not existing.salon_id:
            Box.update(salon=salon_id).where(Box.id == box_id).execute()
        audit(actor, "box.reactivated" if existing else "box.registered", "box", box_id,
                     {"name": name, "salon_id": salon_id or (existing.salon_id if existing else None)},
                     salon_id=salon_id)
    return box


def revoke(actor: HeadOfficeUser | None, box_id: str) -> Box:
    """Revoke a box: the cloud refuses its messages from now on. Audited."""
    with database.atomic():
        box = Box.select().where(Box.id == box_id).for_update().first()
        if box is None:
            raise NotFound("no such box")
        if box.status == "revoked":
            raise Refused("box_revoked")
        box = fleet.revoke_box(box_id)
        audit(actor, "box.revoked", "box", box_id, {"name": box.name}, salon_id=box.salon_id)
    return box


def get_box(box_id: str) -> Box:
    """One box; NotFound otherwise."""
    box = Box.get_or_none(Box.id == box_id)
    if box is None:
        raise NotFound("no such box")
    return box
