"""Globally unique, time-ordered identifiers for every entity that syncs."""
from uuid6 import uuid7


def new_id() -> str:
    """Return a new UUIDv7 as a canonical string.

    UUIDv7 sorts by creation time, so ids made on different boxes never clash
    and index locality stays good on SQLite and PostgreSQL alike.
    """
    return str(uuid7())
