"""The box's SQLite database: one file in the data folder, WAL mode, foreign keys on."""
from peewee import DatabaseProxy, SqliteDatabase

# Models bind to this proxy; create_app or a CLI command points it at a file.
database = DatabaseProxy()

PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    # Several gunicorn workers write; a writer waits for the lock instead of failing.
    "busy_timeout": 15000,
    # In WAL mode NORMAL loses no committed transaction on an application
    # crash and only the last ones on power loss, at a fraction of FULL's cost.
    "synchronous": "normal",
    "cache_size": -16000,
    # Pages another worker's commit made stale are read again through the map, not read() copies.
    "mmap_size": 268435456,
}


def open_database(path: str) -> SqliteDatabase:
    """Open (creating if needed) the SQLite file at ``path`` and bind the models to it."""
    # Every transaction takes the write lock when it begins. A deferred one that reads and
    # then writes fails at once ("database is locked", busy_timeout or not) if another
    # process (a gunicorn worker, the sync agent) committed since its read.
    db = SqliteDatabase(path, pragmas=PRAGMAS, check_same_thread=False, lock_type="IMMEDIATE")
    database.initialize(db)
    return db


def write_transaction():
    """A transaction that takes the write lock at once (BEGIN IMMEDIATE).

    Check-then-insert rules such as "no double booking" are only safe when no
    other process can write between the check and the insert.
    """
    return database.atomic("IMMEDIATE")
