"""Who may do what in head office, and who did what: roles, permissions and the audit log (PL1, PL3).

- owner: everything, including users, and registering or revoking boxes;
- head_office: the fleet, sync problems and the salons' master data (editing it too);
- accountant: every page, read-only.

Every change of users, roles, passwords, boxes, conflicts or master data is
appended to ``audit_entry`` in the transaction of the change itself.
"""
from cloud.storage.users import AuditEntry, HeadOfficeUser

OWNER, HEAD_OFFICE, ACCOUNTANT = "owner", "head_office", "accountant"
ROLES = (OWNER, HEAD_OFFICE, ACCOUNTANT)
SYSTEM_NAME = "(command line)"  # the actor of changes made with `salon-cloud` on the server

_EVERYONE = frozenset(ROLES)
_EDITORS = frozenset({OWNER, HEAD_OFFICE})

PERMISSIONS: dict[str, frozenset] = {
    "fleet.view": _EVERYONE,
    "fleet.manage": frozenset({OWNER}),
    "salons.view": _EVERYONE,
    "problems.view": _EVERYONE,
    "problems.resolve": _EDITORS,
    "masterdata.view": _EVERYONE,
    "masterdata.edit": _EDITORS,
    "users.manage": frozenset({OWNER}),
    "audit.view": frozenset({OWNER, ACCOUNTANT}),
    "account.own": _EVERYONE,  # one's own password, time zone and language
}


def allowed(role: str | None, permission: str) -> bool:
    """Whether ``role`` has ``permission``; an unknown permission is a programming error."""
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    return role in PERMISSIONS[permission]


def audit(actor: HeadOfficeUser | None, action: str, entity: str, entity_id: str, details: dict | None = None,
           salon_id: str | None = None) -> AuditEntry:
    """Append one audit entry; call inside the transaction of the change it describes (``actor`` None: the CLI)."""
    return AuditEntry.create(actor_id=actor.id if actor else None,
                             actor_name=actor.username if actor else SYSTEM_NAME, action=action, entity=entity,
                             entity_id=str(entity_id), salon_id=salon_id, details=details)


def recent(limit: int = 100, offset: int = 0, action_prefix: str | None = None) -> tuple[list[AuditEntry], int]:
    """Audit entries, newest first (optionally only actions starting with ``action_prefix``), and how many in all."""
    query = AuditEntry.select()
    if action_prefix:
        query = query.where(AuditEntry.action.startswith(action_prefix))
    total = query.count()
    return list(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit).offset(offset)), total
