"""Printing (KI3): configured printers, the persistent print queue, and the devices seen.

Frozen here as they are today, independent of the models and of the other
migrations of this round: it refers only to ``staff`` from the first schema.
"""
from peewee import *  # noqa: F401,F403  (the migration runner's convention)

TABLES = ("print_job", "device_state", "printer")


def up(migrator, db):
    class Staff(Model):
        id = CharField(primary_key=True, max_length=36)

        class Meta:
            database = db
            table_name = "staff"

    class Printer(Model):
        id = CharField(primary_key=True, max_length=36)
        name = CharField(max_length=100)
        role = CharField(max_length=16)
        connection = CharField(max_length=16)
        address = CharField(max_length=200)
        profile = CharField(max_length=64, default="default")
        paper_width_mm = IntegerField(default=80)
        code_page = CharField(max_length=16, default="auto")
        active = BooleanField(default=True)
        created_at = TextField()
        updated_at = TextField()

        class Meta:
            database = db
            table_name = "printer"

    class PrintJob(Model):
        id = AutoField()
        printer = ForeignKeyField(Printer, on_delete="RESTRICT")
        kind = CharField(max_length=32)
        title = CharField(max_length=200)
        document = TextField()
        state = CharField(max_length=16, default="queued")
        attempts = IntegerField(default=0)
        last_error = TextField(null=True)
        next_attempt_at = TextField()
        claimed_at = TextField(null=True)
        created_at = TextField()
        printed_at = TextField(null=True)
        created_by = ForeignKeyField(Staff, null=True, on_delete="RESTRICT")
        reprint_of = ForeignKeyField("self", null=True, on_delete="RESTRICT")

        class Meta:
            database = db
            table_name = "print_job"
            indexes = ((("printer", "state", "next_attempt_at"), False),)

    class DeviceState(Model):
        id = AutoField()
        kind = CharField(max_length=16)
        name = CharField(max_length=200)
        state = CharField(max_length=32)
        detail = TextField(default="")
        seen_at = TextField()

        class Meta:
            database = db
            table_name = "device_state"
            indexes = ((("kind", "name"), True),)

    db.create_tables([Printer, PrintJob, DeviceState])


def down(migrator, db):
    migrator.migrate(*(migrator.drop_table(name) for name in TABLES))
