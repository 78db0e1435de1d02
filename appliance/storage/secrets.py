"""Secrets the box makes for itself and keeps in its data folder, never in the repository."""
import os
import secrets
from pathlib import Path

CARD_KEY_FILE = "card_key"


def stored_secret(path: Path, make=lambda: secrets.token_urlsafe(48)) -> str:
    """The secret in ``path``, made once (mode 0600) on first use.

    Several gunicorn workers and the hardware process start at once: each
    writes its own temporary file and links it into place, which is atomic,
    so they all end up reading the same secret. The temporary file is created
    0600 from the start, so the secret is never readable by others even briefly.
    """
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as fh:
            fh.write(make())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return path.read_text().strip()


def card_key(data_dir) -> bytes:
    """The key card UIDs are hashed with (appliance.domain.card_ids): 32 random bytes, per box."""
    text = stored_secret(Path(data_dir) / CARD_KEY_FILE, make=lambda: secrets.token_hex(32))
    return bytes.fromhex(text)
