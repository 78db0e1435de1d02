"""Client lifecycle status computed from visits (CL2)."""
from datetime import datetime, timedelta

POTENTIAL = "potential"
NEW = "new"
REGULAR = "regular"
LOST = "lost"
STATUSES = (POTENTIAL, NEW, REGULAR, LOST)
DEFAULT_LOST_AFTER_DAYS = 90


def client_status(visit_count: int, last_visit_at: datetime | None, now: datetime,
                  lost_after_days: int = DEFAULT_LOST_AFTER_DAYS) -> str:
    """Potential (never visited), new (one visit), regular (more), lost (no visit for N days).

    Lost wins over new and regular: a client who came twice a year ago needs
    winning back, not treating as a regular.
    """
    if visit_count <= 0 or last_visit_at is None:
        return POTENTIAL
    if now - last_visit_at > timedelta(days=lost_after_days):
        return LOST
    return NEW if visit_count == 1 else REGULAR
