"""Apply the numbered migrations in place: a box is upgraded, never wiped."""
from pathlib import Path

from playhouse.migrations import Runner

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
HISTORY_TABLE = "schema_migration"


def migration_runner(db, directory: Path = MIGRATIONS_DIR) -> Runner:
    """A peewee migration runner over the box's migrations folder."""
    return Runner(db, directory=str(directory), table_name=HISTORY_TABLE)


def upgrade(db, target: str | None = None) -> list[str]:
    """Apply every pending migration (or up to ``target``); return the names applied."""
    return migration_runner(db).up(target)


def pending(db) -> list[str]:
    """Names of migrations not yet applied."""
    return [m.name for m in migration_runner(db).status() if not m.applied]
