"""Returns go to a fiscal register through an intent too (PO2, PO3): what is returned is kept with it.

An open intent of kind ``return`` names the original sale; ``detail`` holds the
lines, quantities and reason, so a return the register issued before the box
died is recorded from them, never registered twice.
"""
from peewee import *  # noqa: F401,F403  (the migration runner's convention)


def up(migrator, db):
    migrator.migrate(migrator.add_column("fiscal_intent", "detail", TextField(null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("fiscal_intent", "detail"))
