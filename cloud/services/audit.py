"""The cloud's audit log: who changed users, permissions, boxes or master data, what, and when (PL3)."""
from cloud.storage.users import AuditEntry, HeadOfficeUser

SYSTEM_NAME = "(command line)"


def record(actor: HeadOfficeUser | None, action: str, entity: str, entity_id: str, details: dict | None = None,
           salon_id: str | None = None) -> AuditEntry:
    """Append one entry; call inside the transaction of the change it describes (``actor`` None: the CLI)."""
    return AuditEntry.create(actor_id=actor.id if actor else None,
                             actor_name=actor.username if actor else SYSTEM_NAME, action=action, entity=entity,
                             entity_id=str(entity_id), salon_id=salon_id, details=details)


def recent(limit: int = 100, offset: int = 0, action_prefix: str | None = None) -> tuple[list[AuditEntry], int]:
    """The newest entries first (optionally only actions starting with ``action_prefix``), and how many in all."""
    query = AuditEntry.select()
    if action_prefix:
        query = query.where(AuditEntry.action.startswith(action_prefix))
    total = query.count()
    return list(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit).offset(offset)), total
