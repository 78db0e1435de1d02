"""A version of the salon's reference data, counted by SQLite itself (services, masters, schedules).

Every booking and slot search reads the salon, the services, the masters, their
skills and their schedules: rows that change a few times a day. A process may
keep them between requests as long as this version has not moved. Triggers
count every insert, update and delete of those tables in the transaction that
makes it, whoever writes (the web workers, the sync agent applying head
office's changes, a CLI), so no writer can forget to. ``generation`` is random
per database file, so a process never mistakes another file's version for this
one's.
"""
from peewee import *  # noqa: F401,F403  (the migration runner's convention)

COUNTED_TABLES = ("salon", "service", "staff", "staff_service", "work_pattern", "schedule_day", "absence")
_EVENTS = ("insert", "update", "delete")


def up(migrator, db):
    db.execute_sql("CREATE TABLE reference_version (id INTEGER PRIMARY KEY CHECK (id = 1), "
                   "generation TEXT NOT NULL, n INTEGER NOT NULL)")
    db.execute_sql("INSERT INTO reference_version (id, generation, n) VALUES (1, lower(hex(randomblob(8))), 0)")
    for table in COUNTED_TABLES:
        for event in _EVENTS:
            db.execute_sql(f'CREATE TRIGGER "reference_{table}_{event}" AFTER {event.upper()} ON "{table}" '
                           "BEGIN UPDATE reference_version SET n = n + 1 WHERE id = 1; END")


def down(migrator, db):
    for table in COUNTED_TABLES:
        for event in _EVENTS:
            db.execute_sql(f'DROP TRIGGER IF EXISTS "reference_{table}_{event}"')
    db.execute_sql("DROP TABLE reference_version")
