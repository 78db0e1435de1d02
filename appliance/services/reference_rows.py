"""The salon, services, masters, their skills and schedules, rooms and equipment, kept by a process
between requests.

Every booking and slot search reads these rows, which change a few times a
day; reading them afresh was six of a booking's nineteen statements, and half
of a slot search's time. A process keeps what it has read for as long as the
reference version (migrations 0013 and 0015) stays where it was: SQLite
triggers count every change to those tables in the transaction that makes it.
The version is read in the caller's own snapshot, so a kept row is never older
than the row the caller would have read itself.

The rows handed out are shared by every request of the process: read them,
never change and save them.
"""
from appliance.services.context import SalonContext
from appliance.services.lookup import checked
from appliance.services.schedules import schedules_for
from appliance.storage import statements
from appliance.storage.database import database
from appliance.storage.models.catalogue import StaffService

_VERSION = "SELECT generation, n FROM reference_version WHERE id = 1"
# Entries kept for one version at most (schedules are kept by date range), then a fresh start.
KEPT_LIMIT = 20_000


class _Kept:
    """What one process keeps for one reference version."""

    def __init__(self, version):
        self.version = version
        self.rows = {}


_kept = _Kept(None)


class ReferenceRows:
    """One use case's view of the kept reference rows, for the version its snapshot sees."""

    def __init__(self, kept: _Kept):
        self._kept = kept

    @classmethod
    def current(cls) -> "ReferenceRows":
        """Read the reference version (in the caller's transaction, if any) and what is kept for it."""
        global _kept
        version = tuple(database.execute_sql(_VERSION).fetchone())
        kept = _kept
        if kept.version != version or len(kept.rows) > KEPT_LIMIT:
            # A thread still holding the old one only fills that one: it is never read again.
            kept = _kept = _Kept(version)
        return cls(kept)

    def _get(self, key, load):
        rows = self._kept.rows
        if key in rows:
            return rows[key]
        value = rows[key] = load()
        return value

    def salon_context(self) -> SalonContext:
        """The salon's zone, currency and rules (LookupError before set-up, never kept)."""
        return self._get(("salon",), SalonContext.load)

    def fetch(self, model, row_id, field: str | None = None, active_only: bool = False):
        """``lookup.fetch`` for a reference model: the same errors, from the kept row."""
        row = None
        if isinstance(row_id, str):
            row = self._get((model, row_id), lambda: statements.get_by_id(model, row_id))
        return checked(model, row, row_id, field, active_only)

    def skill(self, staff_id: str, service_id: str) -> StaffService | None:
        """What the master charges and takes for the service, or None if the master lacks it."""
        return self._get((StaffService, staff_id, service_id),
                         lambda: statements.find_one(StaffService, staff=staff_id, service=service_id))

    def schedules(self, staff_ids, first, last) -> dict:
        """``schedules.schedules_for`` of these masters over [first, last]."""
        ids = tuple(staff_ids)
        return self._get(("schedules", ids, first, last), lambda: schedules_for(ids, first, last))

    def derived(self, key: tuple, compute):
        """A value computed from reference rows only, kept like them (``compute()`` on first use).

        ``key`` must name everything the value depends on beyond the reference tables.
        """
        return self._get(("derived", *key), compute)
