"""The audit log of changes to money, bookings, stock, payroll and permissions (PL3)."""
from appliance.services.context import Actor
from appliance.storage.models.base import AuditLog


def audit(actor: Actor, action: str, entity: str, entity_id: str, details: dict | None = None,
          note: str | None = None) -> None:
    """Append one entry; call inside the transaction of the change it describes."""
    AuditLog.create(actor_kind=actor.kind, actor_id=actor.id, action=action, entity=entity,
                    entity_id=entity_id, details=details, note=note)
