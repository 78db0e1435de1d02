"""The cloud's PostgreSQL database, through peewee and psycopg 3."""
from peewee import DatabaseProxy
from playhouse.postgres_ext import PostgresqlExtDatabase

# Models bind to this proxy; create_app, the ingest worker or a CLI points it at a server.
database = DatabaseProxy()


def open_database(dsn: str) -> PostgresqlExtDatabase:
    """Connect the cloud models to the PostgreSQL database at ``dsn`` (a libpq URI)."""
    db = PostgresqlExtDatabase(dsn, prefer_psycopg3=True)
    database.initialize(db)
    return db
