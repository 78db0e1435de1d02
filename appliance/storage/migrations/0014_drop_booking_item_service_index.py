"""Booking items lose their index on the service: nothing reads by it often enough to pay for it.

Each new or changed booking item updated that index too: about one and a half pages of
every booking's commit (of 19), written to the log, checkpointed into the file and read
again after another process's commit. The one lookup by service, the future bookings
still using a service that is being deactivated, is a rare office action and scans the
items instead. Services are never deleted (SV6), so the foreign key needs no index to
check a parent's removal.
"""
from peewee import *  # noqa: F401,F403  (the migration runner's convention)


def up(migrator, db):
    db.execute_sql('DROP INDEX IF EXISTS "bookingitem_service_id"')


def down(migrator, db):
    db.execute_sql('CREATE INDEX IF NOT EXISTS "bookingitem_service_id" ON "booking_item" ("service_id")')
