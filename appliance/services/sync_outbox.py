"""The box's side of the up stream: what the cloud still has to receive, and the link's state (SY1, SY3).

The change log is the only source of what must go up: an entry counts as
delivered only once the cloud's ack says it is applied there, and the
position of that ack is kept in ``sync_state`` in the box's own database.
"""
import json

from appliance.storage.database import database
from appliance.storage.fields import json_value
from appliance.storage.models.base import ChangeLog, SyncState, utc_now
from sync.messages import change_text

_PENDING = ("SELECT seq, entity, entity_id, op, changed, payload, schema, recorded_at FROM change_log "
            "WHERE seq > ? ORDER BY seq LIMIT ?")


def sync_state() -> SyncState:
    """The box's stream state (made on first use)."""
    state = SyncState.get_or_none(SyncState.key == "cloud")
    if state is None:
        state = SyncState(key="cloud")
        state.save(force_insert=True)
    return state


def pending_changes(after: int, limit: int) -> list[dict]:
    """Up to ``limit`` change-log entries after seq ``after``, as stream changes."""
    rows = database.execute_sql(_PENDING, [after, limit]).fetchall()
    return [{"seq": seq, "entity": entity, "id": entity_id, "op": op, "changed": json.loads(changed),
             "payload": json.loads(payload), "schema": schema,
             "at": json_value(ChangeLog.recorded_at.python_value(recorded_at))}
            for seq, entity, entity_id, op, changed, payload, schema, recorded_at in rows]


def pending_texts(after: int, limit: int) -> list[tuple[int, str]]:
    """The same entries as ``pending_changes``, each as its JSON text, without decoding the payloads."""
    rows = database.execute_sql(_PENDING, [after, limit]).fetchall()
    # Stored instants are "YYYY-MM-DD HH:MM:SS.ffffff" in UTC; the wire has ISO 8601 with a Z.
    return [(seq, change_text(seq, entity, entity_id, op, changed, payload, schema,
                              recorded_at.replace(" ", "T") + "Z"))
            for seq, entity, entity_id, op, changed, payload, schema, recorded_at in rows]


def last_seq() -> int:
    """The newest change-log seq (0 when empty)."""
    return database.execute_sql("SELECT COALESCE(MAX(seq), 0) FROM change_log").fetchone()[0]


def record_ack(upto: int) -> int:
    """The cloud has applied everything up to ``upto``; keeps the highest ever acked and returns it."""
    with database.atomic():
        state = sync_state()
        if upto > state.up_acked:
            state.up_acked = upto
        state.last_ack_at = utc_now()
        state.last_error = None
        state.save()
    return state.up_acked


def record_link(connected: bool, error: str | None = None) -> None:
    """Whether the link is up, and the last error (kept until the next ack)."""
    with database.atomic():
        state = sync_state()
        state.connected = connected
        if error:
            state.last_error, state.last_error_at = error[:500], utc_now()
        state.save()


def sync_status() -> dict:
    """What the administrator is shown: link, last successful sync, backlog, last error."""
    state = sync_state()
    newest = last_seq()
    return {"connected": state.connected, "last_ack_at": state.last_ack_at, "up_acked": state.up_acked,
            "backlog": max(0, newest - state.up_acked), "last_seq": newest, "down_applied": state.down_applied,
            "last_down_at": state.last_down_at, "last_error": state.last_error, "last_error_at": state.last_error_at}
