"""Rooms and equipment count as reference data too: the slot search keeps what it reads of them.

Migration 0013 made SQLite count every change to the salon, services, masters, skills and
schedules, so that a process may keep those rows between requests. The nearest-free-slot
search also reads which rooms and equipment a service can use and each room's capacity:
rows that change even more rarely. Counted the same way, they are kept the same way.
"""
from peewee import *  # noqa: F401,F403  (the migration runner's convention)

COUNTED_TABLES = ("room", "equipment")
_EVENTS = ("insert", "update", "delete")


def up(migrator, db):
    for table in COUNTED_TABLES:
        for event in _EVENTS:
            db.execute_sql(f'CREATE TRIGGER "reference_{table}_{event}" AFTER {event.upper()} ON "{table}" '
                           "BEGIN UPDATE reference_version SET n = n + 1 WHERE id = 1; END")


def down(migrator, db):
    for table in COUNTED_TABLES:
        for event in _EVENTS:
            db.execute_sql(f'DROP TRIGGER IF EXISTS "reference_{table}_{event}"')
