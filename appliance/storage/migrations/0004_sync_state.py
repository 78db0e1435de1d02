"""Sync bookkeeping (SY1-SY3): the cloud revision each synced row was last seen at, and the box's stream state.

``synced_rev`` on every synced table is the cloud's revision of the row as
the box last received it; each change the box makes carries it up, so the
cloud can tell a fast-forward from a concurrent edit (sync.merge).
``sync_state`` holds the box's side of both streams and what the
administrator is shown about the link.
"""
from peewee import *  # noqa: F401,F403  (the migration runner's convention)

SYNCED_TABLES = (
    "salon", "staff", "service_category", "service", "staff_service", "room", "equipment", "client",
    "work_pattern", "schedule_day", "absence", "time_block", "booking_series", "booking", "booking_item",
    "booking_event", "group_event", "group_attendee",
)


def up(migrator, db):
    class SyncState(Model):
        key = CharField(primary_key=True, max_length=32)
        up_acked = IntegerField(default=0)
        down_applied = IntegerField(default=0)
        last_ack_at = TextField(null=True)
        last_down_at = TextField(null=True)
        last_error = TextField(null=True)
        last_error_at = TextField(null=True)
        connected = BooleanField(default=False)

        class Meta:
            database = db
            table_name = "sync_state"

    db.create_tables([SyncState])
    migrator.migrate(*(migrator.add_column(table, "synced_rev", IntegerField(default=0))
                       for table in SYNCED_TABLES))


def down(migrator, db):
    migrator.migrate(*(migrator.drop_column(table, "synced_rev") for table in SYNCED_TABLES),
                     migrator.drop_table("sync_state"))
