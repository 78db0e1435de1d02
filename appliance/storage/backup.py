"""Consistent copies of the live SQLite file, taken with SQLite's online backup API."""
import sqlite3
from datetime import datetime, timezone
from pathlib import Path


def backup_database(db, target_dir: Path, label: str) -> Path:
    """Copy the open database to ``target_dir``/box-<UTC time>-<label>.sqlite3 and return the path.

    The backup API copies a consistent snapshot even while other processes
    write, which a plain file copy of a WAL database does not guarantee.
    """
    target_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    target = target_dir / f"box-{stamp}-{label}.sqlite3"
    destination = sqlite3.connect(target)
    try:
        db.connection().backup(destination)
    finally:
        destination.close()
    return target
