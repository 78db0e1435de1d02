"""The fiscal crash window (PO2): a receipt about to go to a fiscal register is recorded first (box-local).

Frozen here as it is today, independent of the models; no foreign keys
(the sale and register are plain ids, so the table never holds up a row).
"""
from peewee import *  # noqa: F401,F403  (the migration runner's convention)


def up(migrator, db):
    class FiscalIntent(Model):
        id = AutoField()
        sale = CharField(max_length=36, index=True)
        register = CharField(max_length=36, index=True)
        shift = CharField(max_length=36)
        attempt = IntegerField()
        kind = CharField(max_length=8, default="sale")
        document_before = IntegerField()
        tenders = TextField()
        total = IntegerField()
        state = CharField(max_length=10, default="open")
        document = CharField(max_length=64, default="")
        started_by = CharField(max_length=36, null=True)
        started_at = TextField()
        finished_at = TextField(null=True)
        note = TextField(default="")

        class Meta:
            database = db
            table_name = "fiscal_intent"

    db.create_tables([FiscalIntent])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("fiscal_intent"))
