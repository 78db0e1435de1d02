"""The audit log of changes to money, bookings, stock, payroll and permissions (PL3)."""
from datetime import datetime

from appliance.services.context import Actor
from appliance.storage import statements
from appliance.storage.database import database
from appliance.storage.models.base import AuditLog, utc_now


def audit(actor: Actor, action: str, entity: str, entity_id: str, details: dict | None = None,
          note: str | None = None) -> None:
    """Append one entry; call inside the transaction of the change it describes."""
    database.execute_sql(*audit_statement(actor, action, entity, entity_id, details, note))


def audit_statement(actor: Actor, action: str, entity: str, entity_id: str, details: dict | None = None,
                    note: str | None = None, at: datetime | None = None) -> tuple[str, list]:
    """The INSERT of one entry, converted now: to run later in the change's transaction.

    ``at``: when the change was made (default: now).
    """
    # The compiled INSERT, without a row object: every booking writes one.
    return statements.insert_statement(AuditLog, {
        "at": at or utc_now(), "actor_kind": actor.kind, "actor_id": actor.id, "action": action, "entity": entity,
        "entity_id": entity_id, "details": details, "note": note})
