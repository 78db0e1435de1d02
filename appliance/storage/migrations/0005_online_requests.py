"""Online booking requests decided by the box (SY4): made in the cloud, booked or flagged here."""
from peewee import *  # noqa: F401,F403  (the migration runner's convention)


def up(migrator, db):
    class Stub(Model):
        id = CharField(primary_key=True, max_length=36)

        class Meta:
            database = db

    class Client(Stub):
        class Meta:
            table_name = "client"

    class Booking(Stub):
        class Meta:
            table_name = "booking"

    class OnlineRequest(Model):
        id = CharField(primary_key=True, max_length=36)
        rev = IntegerField(default=0)
        synced_rev = IntegerField(default=0)
        created_at = TextField()
        updated_at = TextField()
        client_name = CharField(max_length=200)
        client_phone = CharField(max_length=20)
        client = ForeignKeyField(Client, null=True, on_delete="RESTRICT")
        items = TextField()
        starts_at = TextField()
        comment = TextField(default="")
        status = CharField(max_length=16, default="tentative")
        booking = ForeignKeyField(Booking, null=True, on_delete="RESTRICT")
        reason = TextField(default="")
        decided_at = TextField(null=True)
        handled_note = TextField(default="")

        class Meta:
            database = db
            table_name = "online_request"

    db.create_tables([OnlineRequest])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("online_request"))
