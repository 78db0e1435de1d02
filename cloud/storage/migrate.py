"""Apply the cloud's numbered migrations in place (CLI `salon-cloud migrate`, systemd ExecStartPre)."""
from pathlib import Path

from playhouse.migrations import Runner

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def upgrade(db, target: str | None = None) -> list[str]:
    """Apply every pending migration (or up to ``target``); the names applied."""
    return Runner(db, directory=str(MIGRATIONS_DIR), table_name="schema_migration").up(target)


def pending(db) -> list[str]:
    """Names of migrations not yet applied."""
    return [m.name for m in Runner(db, directory=str(MIGRATIONS_DIR), table_name="schema_migration").status()
            if not m.applied]
