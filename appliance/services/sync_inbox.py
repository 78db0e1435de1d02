"""The box's side of the down stream: applying what head office sends (SY2).

Rows arrive whole, as the cloud has merged them (sync.merge), with the
cloud's revision in ``synced_rev``. They are written without a change-log
entry of their own (they came from the cloud, they need not go back), and a
field the box has changed itself since its last ack keeps the box's value:
that edit is still on its way up and the cloud merges it there. Which of
the box's edits the row already reflects, the cloud says in ``merged_upto``
(the box's change-log seq it had applied when it queued the row).
"""
import json

from peewee import IntegrityError

from appliance.services.clients import search_text
from appliance.storage import statements
from appliance.storage.database import database, write_transaction
from appliance.storage.models.base import META_NOT_APPLIED, SyncedModel, from_json_value, utc_now
from appliance.storage.models.clients import Client
from appliance.storage.models.registry import ALL_MODELS
from appliance.services.sync_outbox import sync_state

SYNCED_MODELS = {m._meta.table_name: m for m in ALL_MODELS if issubclass(m, SyncedModel)}
# Columns the box derives itself from the others: recomputed, never taken from the cloud.
_DERIVED = {Client: {"search_text": search_text}}


def _locally_changed(entity: str, entity_id: str, after: int) -> set[str]:
    """Fields of the row changed on the box in entries the cloud has not acked yet."""
    rows = database.execute_sql("SELECT changed FROM change_log WHERE seq > ? AND entity = ? AND entity_id = ?",
                                [after, entity, entity_id]).fetchall()
    return {name for (changed,) in rows for name in json.loads(changed)}


def _apply_one(change: dict, up_acked: int) -> bool:
    model = SYNCED_MODELS.get(change["entity"])
    if model is None or change["op"] != "upsert":
        return False  # an entity of a newer version, or a marker: nothing this box can store
    payload, fields = change["payload"], model._meta.fields
    row = statements.get_by_id(model, change["id"])
    if row is None:
        row = model(__no_default__=1)
        row.__data__ = model._meta.get_default_dict()
        keep = set()
    else:
        # What the row reflects is what the cloud had applied when it queued it, not what it has
        # acked since: an edit acked after that is not in this row and must not be overwritten.
        merged = change.get("merged_upto")
        keep = _locally_changed(change["entity"], change["id"], up_acked if merged is None else int(merged))
    for name, value in payload.items():
        if name in fields and name not in keep and name not in META_NOT_APPLIED:
            row.__data__[name] = from_json_value(fields[name], value)
    row.__data__["id"] = change["id"]
    row.__data__["synced_rev"] = int(payload.get("synced_rev") or 0)
    for name, derive in _DERIVED.get(model, {}).items():
        row.__data__[name] = derive(row)
    if statements.update_row(row) == 0:
        statements.insert_row(row)
    return True


def apply_down(changes: list[dict], last: int) -> tuple[int, list[str]]:
    """Apply a contiguous run of cloud changes ending at stream seq ``last``.

    Returns the new applied position and a reason for each change that could
    not be stored (it is skipped, and the reasons are kept as the link's last
    error, so one bad row does not stop the stream behind it).
    """
    problems = []
    with write_transaction():
        state = sync_state()
        for change in changes:
            try:
                with database.atomic():
                    _apply_one(change, state.up_acked)
            except (ValueError, TypeError, KeyError, ArithmeticError, IntegrityError) as exc:
                problems.append(f"{change['entity']} {change['id']}: {exc}"[:300])
        if problems:
            state.last_error, state.last_error_at = "; ".join(problems)[:500], utc_now()
        state.down_applied = max(state.down_applied, last)
        state.last_down_at = utc_now()
        state.save()
    return state.down_applied, problems
