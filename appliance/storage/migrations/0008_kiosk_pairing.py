"""Kiosks pair with a one-time code typed on their screen, and listen to one card reader (KI1, KI4)."""
from peewee import *  # noqa: F401,F403  (the migration runner's convention)

from appliance.storage.fields import UtcDateTimeField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("device", "reader", CharField(max_length=200, default="")),
        migrator.add_column("device", "pairing_hash", CharField(max_length=64, null=True)),
        migrator.add_column("device", "pairing_expires_at", UtcDateTimeField(null=True)),
        migrator.add_column("device", "pairing_failures", IntegerField(default=0)),
    )


def down(migrator, db):
    migrator.migrate(*(migrator.drop_column("device", column)
                       for column in ("reader", "pairing_hash", "pairing_expires_at", "pairing_failures")))
