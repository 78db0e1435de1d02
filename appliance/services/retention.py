"""How long the box keeps its transport and device logs, and pruning what is past it.

A box runs for years on an SD card. Four tables only ever grow and hold nothing a
salon needs once they are old:

- the change log (outbox): an entry the cloud has acked is applied there and is never sent
  again (the ack position only moves forward), so it can go once it is old enough;
  an entry not acked yet is never pruned, however old;
- card taps: the raw log of every tap; the time punches they made are kept (a tap refers
  to its punch, nothing refers to a tap);
- sign-in tokens that expired or were revoked a while ago (only their hashes are stored);
- print jobs that were printed or cancelled: each keeps the whole document it printed (a
  receipt's lines, a visit card's first name), and a receipt is printed again from its sale,
  not from the old job. A job that another one re-printed stays until that one goes.

The newest row of the change log, the card taps and the print jobs always stays: they number
their rows by SQLite's rowid, which continues from the highest row left, and the sync stream,
the kiosk's polling and the print queue's pages rely on those numbers never coming back.
Audit entries, bookings, history, punches and everything synced are never pruned. Each table is pruned in batches,
each batch its own short write transaction, so bookings are not kept waiting behind it.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from appliance.services.audit import audit
from appliance.services.context import Actor
from appliance.storage.database import database, write_transaction
from appliance.storage.fields import utc_text
from appliance.storage.models.base import utc_now

BATCH = 2000


@dataclass(frozen=True)
class KeepFor:
    """Days each log is kept (settings CHANGE_LOG_KEEP_DAYS, CARD_TAP_KEEP_DAYS, TOKEN_KEEP_DAYS,
    PRINT_JOB_KEEP_DAYS)."""

    change_log_days: int = 90
    card_tap_days: int = 400
    token_days: int = 30
    print_job_days: int = 60

    @classmethod
    def from_config(cls, config: dict) -> "KeepFor":
        """The retention settings of a loaded config (whole numbers already); under one day is refused."""
        for *_, setting, _ in _TABLES:
            if config[setting] < 1:
                raise ValueError(f"SALON_BOX_{setting} must be at least 1 day, not {config[setting]}")
        return cls(**{field: config[setting] for *_, setting, field in _TABLES})


# Each select picks the rows to delete (oldest first, one batch at most); "?" are the cut-off and the batch size.
_CHANGE_LOG = ("SELECT seq FROM change_log WHERE seq <= (SELECT COALESCE(MAX(up_acked), 0) FROM sync_state) "
               "AND seq < (SELECT MAX(seq) FROM change_log) AND recorded_at < ? ORDER BY seq LIMIT ?")
_CARD_TAPS = ("SELECT id FROM card_tap WHERE id < (SELECT MAX(id) FROM card_tap) AND at < ? "
              "ORDER BY id LIMIT ?")
_TOKENS = ("SELECT id FROM api_token WHERE (revoked = 1 AND created_at < ?1) OR expires_at < ?1 "
           "ORDER BY created_at LIMIT ?2")
_PRINT_JOBS = ("SELECT id FROM print_job WHERE state IN ('done', 'cancelled') AND created_at < ? "
               "AND id < (SELECT MAX(id) FROM print_job) "
               "AND id NOT IN (SELECT reprint_of_id FROM print_job WHERE reprint_of_id IS NOT NULL) "
               "ORDER BY id LIMIT ?")
# (table, key, select, setting, KeepFor field)
_TABLES = (("change_log", "seq", _CHANGE_LOG, "CHANGE_LOG_KEEP_DAYS", "change_log_days"),
           ("card_tap", "id", _CARD_TAPS, "CARD_TAP_KEEP_DAYS", "card_tap_days"),
           ("api_token", "id", _TOKENS, "TOKEN_KEEP_DAYS", "token_days"),
           ("print_job", "id", _PRINT_JOBS, "PRINT_JOB_KEEP_DAYS", "print_job_days"))


def prune(keep: KeepFor, now: datetime | None = None, batch: int = BATCH) -> dict[str, int]:
    """Delete what is past its keeping time; the rows deleted per table.

    Each batch's audit entry (``retention.pruned``: table, rows, the keeping time, the last key) is
    written in the batch's own transaction: no row goes without its entry.
    """
    now = now or utc_now()
    deleted = {}
    for table, key, select, _, field in _TABLES:
        days = getattr(keep, field)
        deleted[table] = _prune_table(table, key, select, utc_text(now - timedelta(days=days)), days, batch)
    return deleted


def _prune_table(table: str, key: str, select: str, cut_off: str, days: int, batch: int) -> int:
    total = 0
    while True:
        with write_transaction():
            keys = [row[0] for row in database.execute_sql(select, [cut_off, batch]).fetchall()]
            if keys:
                marks = ", ".join("?" for _ in keys)
                database.execute_sql(f"DELETE FROM {table} WHERE {key} IN ({marks})", keys)
                audit(Actor.system(), "retention.pruned", table, str(keys[-1]),
                      {"rows": len(keys), "kept_days": days, "older_than": cut_off})
        total += len(keys)
        if len(keys) < batch:
            return total
