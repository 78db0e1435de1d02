"""Persistence on SQLite through peewee: models, fields, migrations, change log."""
