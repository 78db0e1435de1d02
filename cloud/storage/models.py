"""The cloud's tables: salons, their boxes, every synced row, the streams down, and what sync set aside (CO1, CO6).

Every row a box syncs is kept in ``entity_row`` under its entity and id, as
the JSON the box sent, merged field by field (sync.merge). Reports, payroll
and the online booking page read these rows (later issues add typed
projections where a query needs them); nothing a box sends is dropped:
what cannot be applied goes to ``dead_letter`` with the reason, and every
concurrent edit that lost goes to ``sync_conflict``.
"""
from datetime import datetime, timezone

from peewee import (
    AutoField, BigIntegerField, BooleanField, CharField, CompositeKey, ForeignKeyField, IntegerField, Model,
    TextField,
)
from playhouse.postgres_ext import BinaryJSONField, DateTimeTZField

from cloud.storage.database import database


def utc_now() -> datetime:
    """The current instant, aware, in UTC."""
    return datetime.now(timezone.utc)


class CloudModel(Model):
    """Every table of the cloud."""

    class Meta:
        database = database
        legacy_table_names = False


class Salon(CloudModel):
    """A branch of the business; its id is the id of the Salon row on its box."""

    id = CharField(primary_key=True, max_length=36)
    name = CharField(max_length=200, default="")
    timezone = CharField(max_length=64, default="UTC")
    currency = CharField(max_length=3, default="")
    active = BooleanField(default=True)
    created_at = DateTimeTZField(default=utc_now)


class Box(CloudModel):
    """A salon box: its broker identity, which salon it serves, and the state of its streams (CO6)."""

    id = CharField(primary_key=True, max_length=36)  # also its MQTT username
    name = CharField(max_length=200)
    salon = ForeignKeyField(Salon, null=True, backref="boxes", on_delete="RESTRICT")
    status = CharField(max_length=16, default="active")  # active, revoked
    online = BooleanField(default=False)
    software = CharField(max_length=32, default="")
    schema = IntegerField(default=0)
    up_applied = BigIntegerField(default=0)  # the box's change-log seq applied here
    last_change_at = DateTimeTZField(null=True)  # when the newest applied change was made on the box
    backlog = BigIntegerField(default=0)  # as the box last reported it
    down_seq = BigIntegerField(default=0)  # the newest change queued for the box
    down_acked = BigIntegerField(default=0)
    last_seen_at = DateTimeTZField(null=True)
    last_error = TextField(null=True)
    last_error_at = DateTimeTZField(null=True)
    created_at = DateTimeTZField(default=utc_now)


class EntityRow(CloudModel):
    """The merged current state of one synced row."""

    entity = CharField(max_length=64)
    entity_id = CharField(max_length=36)
    salon_id = CharField(max_length=36, null=True)  # indexed with entity, below
    # No GIN index on either (peewee's default for BinaryJSONField): nothing queries inside them,
    # and one cost most of the ingest's write (migration 0003).
    data = BinaryJSONField(index=False)
    stamps = BinaryJSONField(default=dict, index=False)  # field -> {rev, at, by}
    crev = IntegerField(default=1)
    origin = CharField(max_length=40)  # box id or "cloud": who made the last change
    schema = IntegerField(default=1)
    updated_at = DateTimeTZField(default=utc_now)

    class Meta:
        primary_key = CompositeKey("entity", "entity_id")
        indexes = ((("salon_id", "entity"), False),)


class DownChange(CloudModel):
    """The cloud's outbox for one box: rows it must receive, numbered 1, 2, 3... per box."""

    box = ForeignKeyField(Box, on_delete="RESTRICT", index=False)  # the primary key leads with it
    seq = BigIntegerField()
    entity = CharField(max_length=64)
    entity_id = CharField(max_length=36)
    payload = BinaryJSONField(index=False)
    # The box's own changes merged into ``payload``: its change-log seq applied here when this was
    # queued. A field the box changed after that keeps the box's value when it applies the row.
    applied_upto = BigIntegerField(default=0)
    created_at = DateTimeTZField(default=utc_now)

    class Meta:
        primary_key = CompositeKey("box", "seq")


class DeadLetter(CloudModel):
    """A message, or one change in it, that could not be applied, and why."""

    id = AutoField()
    box_id = CharField(max_length=64, null=True, index=True)
    topic = CharField(max_length=200)
    reason = TextField()
    entity = CharField(max_length=64, null=True)
    entity_id = CharField(max_length=36, null=True)
    seq = BigIntegerField(null=True)
    size = IntegerField(default=0)
    payload = TextField(default="")  # the first 64 KiB, as received
    received_at = DateTimeTZField(default=utc_now)


class SyncConflict(CloudModel):
    """Two places changed one field concurrently: the value kept and the value that lost."""

    id = AutoField()
    entity = CharField(max_length=64)
    entity_id = CharField(max_length=36)
    field = CharField(max_length=64)
    kept = BinaryJSONField(null=True, index=False)
    lost = BinaryJSONField(null=True, index=False)
    kept_by = CharField(max_length=40)
    lost_by = CharField(max_length=40)
    kept_at = CharField(max_length=40, null=True)
    lost_at = CharField(max_length=40, null=True)
    recorded_at = DateTimeTZField(default=utc_now)
    resolved_at = DateTimeTZField(null=True)

    class Meta:
        indexes = ((("entity", "entity_id"), False),)


class Fanout(CloudModel):
    """A merged row some boxes must receive; turned into DownChange rows by the one down publisher.

    Ingest workers only append here, so they never lock another box's row.
    ``scope``: "all" (every active box), "others" (every active box but
    ``box_id``), "box" (only ``box_id``), "salon" (the boxes of ``salon_id``).
    """

    id = AutoField()
    entity = CharField(max_length=64)
    entity_id = CharField(max_length=36)
    scope = CharField(max_length=8)
    box_id = CharField(max_length=36, null=True)
    salon_id = CharField(max_length=36, null=True)
    created_at = DateTimeTZField(default=utc_now)


SYNC_MODELS = (Salon, Box, EntityRow, DownChange, DeadLetter, SyncConflict, Fanout)
