"""Group events with attendees (BK5), and a search column on clients filled from existing cards."""
import json

from peewee import *


def _search_text(first, last, middle, phone, extra_phones, card_number):
    # Frozen copy of the rule at the time of this migration; the live rule
    # lives in appliance.services.clients and may evolve on its own.
    words = " ".join(part for part in (last, first, middle) if part).casefold()
    phones = [phone or ""] + list(json.loads(extra_phones or "[]"))
    digits = " ".join("".join(ch for ch in p if ch.isdigit()) for p in phones if p)
    return " ".join(part for part in (words, digits, (card_number or "").casefold()) if part)


def up(migrator, db):
    class Stub(Model):
        id = CharField(primary_key=True, max_length=36)

        class Meta:
            database = db

    class Service(Stub):
        class Meta:
            table_name = "service"

    class Staff(Stub):
        class Meta:
            table_name = "staff"

    class Room(Stub):
        class Meta:
            table_name = "room"

    class Equipment(Stub):
        class Meta:
            table_name = "equipment"

    class Client(Stub):
        class Meta:
            table_name = "client"

    class GroupEvent(Model):
        id = CharField(primary_key=True, max_length=36)
        rev = IntegerField(default=0)
        created_at = TextField()
        updated_at = TextField()
        title = CharField(max_length=200)
        service = ForeignKeyField(Service, on_delete='RESTRICT')
        master = ForeignKeyField(Staff, on_delete='RESTRICT')
        room = ForeignKeyField(Room, null=True, on_delete='RESTRICT')
        equipment = ForeignKeyField(Equipment, null=True, on_delete='RESTRICT')
        starts_at = TextField(index=True)
        ends_at = TextField()
        busy_until = TextField()
        capacity = IntegerField()
        price = IntegerField()
        status = CharField(max_length=16, default='scheduled')
        active = BooleanField(default=True)

        class Meta:
            database = db
            table_name = 'group_event'

    class GroupAttendee(Model):
        id = CharField(primary_key=True, max_length=36)
        rev = IntegerField(default=0)
        created_at = TextField()
        updated_at = TextField()
        event = ForeignKeyField(GroupEvent, on_delete='RESTRICT')
        client = ForeignKeyField(Client, on_delete='RESTRICT')
        status = CharField(max_length=16, default='booked')

        class Meta:
            database = db
            table_name = 'group_attendee'
            indexes = ((('event', 'client'), True),)

    db.create_tables([GroupEvent, GroupAttendee])

    migrator.migrate(
        migrator.add_column("client", "search_text", TextField(default="")),
        migrator.add_index("client", ("search_text",), False),
    )
    rows = db.execute_sql(
        "SELECT id, first_name, last_name, middle_name, phone, extra_phones, card_number FROM client"
    ).fetchall()
    for client_id, *fields in rows:
        db.execute_sql("UPDATE client SET search_text = ? WHERE id = ?",
                       (_search_text(*fields), client_id))


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index("client", "client_search_text"),
        migrator.drop_column("client", "search_text"),
        migrator.drop_table("group_attendee"),
        migrator.drop_table("group_event"),
    )
