"""The NFC time clock (ST4, KI2): cards, punches and the box-local log of taps.

Frozen here as they are today, independent of the models. At most one
active card per UID hash: a partial unique index, so revoked cards (kept,
never deleted) may share a hash with the card enrolled after them.
"""
from peewee import *  # noqa: F401,F403  (the migration runner's convention)

TABLES = ("card_tap", "time_punch", "card")


def _stub(db, name):
    class Stub(Model):
        id = CharField(primary_key=True, max_length=36)

        class Meta:
            database = db
            table_name = name

    return Stub


def _synced(db):
    class Synced(Model):
        id = CharField(primary_key=True, max_length=36)
        rev = IntegerField(default=0)
        synced_rev = IntegerField(default=0)
        created_at = TextField()
        updated_at = TextField()

        class Meta:
            database = db

    return Synced


def up(migrator, db):
    staff, client, synced = _stub(db, "staff"), _stub(db, "client"), _synced(db)

    class Card(synced):
        uid_hash = CharField(max_length=64)
        staff_id = ForeignKeyField(staff, null=True, column_name="staff_id", on_delete="RESTRICT")
        client_id = ForeignKeyField(client, null=True, column_name="client_id", on_delete="RESTRICT")
        label = CharField(max_length=64, default="")
        active = BooleanField(default=True)
        enrolled_at = TextField()
        enrolled_by = CharField(max_length=36, null=True)
        revoked_at = TextField(null=True)
        revoked_by = CharField(max_length=36, null=True)
        revoke_reason = TextField(default="")

        class Meta:
            table_name = "card"
            constraints = [SQL("CHECK ((staff_id IS NULL) <> (client_id IS NULL))")]

    class TimePunch(synced):
        staff_id = ForeignKeyField(staff, column_name="staff_id", on_delete="RESTRICT", index=False)
        at = TextField()
        kind = CharField(max_length=8)
        source = CharField(max_length=16)
        card_id = ForeignKeyField(Card, null=True, column_name="card_id", on_delete="RESTRICT", index=False)
        reader = CharField(max_length=64, default="")
        note = TextField(default="")
        created_by = CharField(max_length=36, null=True)
        replaces_id = ForeignKeyField("self", null=True, column_name="replaces_id", on_delete="RESTRICT",
                                      index=False)
        voided = BooleanField(default=False)
        void_reason = TextField(default="")
        voided_by = CharField(max_length=36, null=True)
        voided_at = TextField(null=True)

        class Meta:
            table_name = "time_punch"
            indexes = ((("staff_id", "at"), False),)

    class CardTap(Model):
        id = AutoField()
        reader = CharField(max_length=64)
        at = TextField()
        uid_hash = CharField(max_length=64)
        outcome = CharField(max_length=16)
        card_id = ForeignKeyField(Card, null=True, column_name="card_id", on_delete="RESTRICT", index=False)
        staff_id = ForeignKeyField(staff, null=True, column_name="staff_id", on_delete="RESTRICT", index=False)
        client_id = ForeignKeyField(client, null=True, column_name="client_id", on_delete="RESTRICT", index=False)
        punch_id = ForeignKeyField(TimePunch, null=True, column_name="punch_id", on_delete="RESTRICT", index=False)

        class Meta:
            database = db
            table_name = "card_tap"
            indexes = ((("reader", "id"), False), (("staff_id", "at"), False), (("outcome", "at"), False))

    db.create_tables([Card, TimePunch, CardTap])
    migrator.migrate(migrator.sql(
        'CREATE UNIQUE INDEX "card_active_uid_hash" ON "card" ("uid_hash") WHERE ("active" = 1)'))


def down(migrator, db):
    migrator.migrate(*(migrator.drop_table(name) for name in TABLES))
