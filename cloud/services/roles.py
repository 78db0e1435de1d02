"""Head office's roles and what each may do (PL1); every page names one of these permissions.

- owner: everything, including users, and registering or revoking boxes;
- head_office: the fleet, sync problems and the salons' master data (editing it too);
- accountant: every page, read-only.
"""
OWNER, HEAD_OFFICE, ACCOUNTANT = "owner", "head_office", "accountant"
ROLES = (OWNER, HEAD_OFFICE, ACCOUNTANT)

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
