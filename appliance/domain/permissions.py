"""Roles and what each may do (PL1). One table, checked by every endpoint."""

OWNER = "owner"
MANAGER = "manager"
ADMINISTRATOR = "administrator"
MASTER = "master"
KIOSK = "kiosk"
STAFF_ROLES = (OWNER, MANAGER, ADMINISTRATOR, MASTER)
ALL_ROLES = (*STAFF_ROLES, KIOSK)

_READ_DAILY = {
    "salon.read", "catalogue.read", "staff.read", "schedules.read", "bookings.read",
    "availability.read", "clients.read",
}
_ADMIN_WORK = _READ_DAILY | {
    "clients.write", "clients.contacts", "clients.merge", "bookings.write", "schedules.write",
    "group_events.write",
    # The time clock (ST4, KI2): the timesheet, corrections of punches (own ones need a manager), cards.
    "timeclock.read", "timeclock.correct", "cards.manage",
    # Printing (KI3): see the Devices page, print test pages and re-print; managing printers is devices.manage.
    "devices.read", "printing.use",
    # Stock (IN1-IN9): see it; receive, transfer, write off, count. Products, prices, warehouses and
    # approving a stocktake are stock.manage.
    "stock.read", "stock.write",
    # Checkout and the cash register (PO1-PO6): sales and payments; shifts (an administrator's own only).
    "checkout.use", "cash.manage",
}
_MANAGE = _ADMIN_WORK | {"catalogue.write", "staff.write", "salon.write", "devices.manage", "audit.read",
                        "stock.manage",
                        # Refunds give money back: a manager's decision.
                        "checkout.refund"}

ROLE_PERMISSIONS = {
    OWNER: frozenset(_MANAGE | {"staff.roles"}),
    MANAGER: frozenset(_MANAGE),
    ADMINISTRATOR: frozenset(_ADMIN_WORK),
    # A master sees the journal and names, not clients' contacts, and edits nothing shared.
    MASTER: frozenset(_READ_DAILY),
    # A kiosk may only do kiosk things: find today's bookings and check in (kiosk issue).
    KIOSK: frozenset({"kiosk.use"}),
}


def allowed(role: str, permission: str) -> bool:
    """True if ``role`` holds ``permission``."""
    return permission in ROLE_PERMISSIONS.get(role, frozenset())
