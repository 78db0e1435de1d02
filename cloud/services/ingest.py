"""Applying what a box sends: in its order, exactly once in effect, merged by the one rule (SY1-SY4, SY6).

Any number of ingest workers may run: each batch is applied under a lock on
its box's row and only if it continues exactly where that box's applied
position stands, so two workers handed consecutive batches of one box take
turns, and a batch that overtook its predecessor is answered with a resend
request instead of being applied out of order.
"""
import json
from dataclasses import dataclass, field
from datetime import datetime

from cloud.storage.database import database
from cloud.storage.models import Box, DeadLetter, Salon, SyncConflict, utc_now
from sync.merge import META_FIELDS, merge_change
from sync.messages import MessageError, decode
from sync.schemas import CURRENT_SCHEMA, upgrade_payload
from sync.stream import Receiver

# Shared by every salon of the business: a change goes down to all other boxes.
SHARED_ENTITIES = frozenset({"client"})
DEAD_LETTER_KEEP = 64 * 1024

try:  # a faster JSON codec where it is installed (a dependency of the cloud; the box never needs it)
    import orjson
except ImportError:  # pragma: no cover - the standard library does the same, slower
    orjson = None


def _loads(raw: bytes):
    return orjson.loads(raw) if orjson is not None else json.loads(raw)


def _dumps(value) -> str:
    """JSON text for a jsonb parameter."""
    if orjson is not None:
        try:
            return orjson.dumps(value).decode()
        except TypeError:  # an integer beyond 64 bits: the standard library writes it exactly
            pass
    return json.dumps(value, ensure_ascii=False)


@dataclass
class Reply:
    """What the worker answers the box: ack, resend, or nothing (refused)."""

    kind: str  # ack, resend, refused
    upto: int = 0
    start: int = 0
    reason: str = ""
    applied: int = 0
    conflicts: list = field(default_factory=list)


def dead_letter(box_id: str | None, topic: str, raw: bytes, reason: str, **where) -> None:
    """Keep what could not be applied, with the reason (its own transaction: it must outlive a rollback)."""
    with database.atomic():
        DeadLetter.create(box_id=box_id, topic=topic[:200], reason=reason[:1000], size=len(raw),
                          payload=raw[:DEAD_LETTER_KEEP].decode("utf-8", "replace"), **where)
        if box_id:  # the fleet page shows it as the box's last error
            Box.update(last_error=reason[:500], last_error_at=utc_now()).where(Box.id == box_id).execute()


def ingest(box_id: str, topic: str, raw: bytes, max_bytes: int) -> Reply:
    """Decode, check the sender, and apply one batch from ``box_id`` (the topic it came on)."""
    try:
        message = decode(raw, max_bytes, loads=_loads)
        if message["kind"] != "changes":
            raise MessageError(f"a {message['kind']} message on the up channel")
        if message["sender"] != box_id:
            raise MessageError(f"sender {message['sender'][:40]} does not match the topic's box {box_id}")
    except MessageError as exc:
        dead_letter(box_id, topic, raw, str(exc))
        return Reply("refused", reason=str(exc))
    with database.atomic():
        box = Box.select().where(Box.id == box_id).for_update().first()
        refusal = _refusal(box, message)
        if refusal is None:
            return _apply(box, message, topic)
    dead_letter(box_id, topic, raw, refusal)
    return Reply("refused", reason=refusal)


def _refusal(box: Box | None, message: dict) -> str | None:
    if box is None:
        return "unknown box"
    if box.status != "active":
        return "the box is revoked"
    claimed = message.get("salon")
    if box.salon_id is None and claimed:
        salon = Salon.get_or_none(Salon.id == claimed) or Salon.create(id=claimed)
        box.salon = salon
        box.save(only=[Box.salon])
    elif claimed != box.salon_id:
        return f"the message claims salon {str(claimed)[:40]}, the box serves {box.salon_id}"
    return None


def _apply(box: Box, message: dict, topic: str) -> Reply:
    verdict = Receiver(applied=box.up_applied).judge(message["first"], message["last"])
    if verdict.action == "duplicate":
        return Reply("ack", upto=box.up_applied)
    if verdict.action == "gap":
        return Reply("resend", upto=box.up_applied, start=verdict.missing_from)
    changes = message["changes"][verdict.skip:]
    conflicts = _merge_all(box, changes, topic)
    box.up_applied = message["last"]
    box.last_seen_at = utc_now()
    newest = max((c.get("at") or "" for c in changes), default="")
    if newest:
        box.last_change_at = datetime.fromisoformat(newest.replace("Z", "+00:00"))
    box.software = str(message.get("software") or box.software)[:32]
    # Only the fields this batch moves: the down publisher updates down_seq of the same row.
    box.save(only=[Box.up_applied, Box.last_seen_at, Box.last_change_at, Box.software])
    return Reply("ack", upto=box.up_applied, applied=len(changes), conflicts=conflicts)


def _merge_all(box: Box, changes: list[dict], topic: str) -> list[dict]:
    """Apply ``changes`` in their order; the conflicts recorded.

    Three steps, each taking its row locks in one order (entity, id), so batches of different
    boxes touching the same rows do not deadlock (the one exception, a row the box thinks synced
    that the cloud lacks, is inserted after step 2's locks; PostgreSQL would roll a deadlock there
    back, and the batch is applied on the box's resend):

    1. a row the box made in this batch (its first version, never synced: ``rev`` 1, no
       ``synced_rev``) is inserted as merging its first change into nothing makes it
       (``INSERT ... ON CONFLICT DO NOTHING ... RETURNING``): a catch-up of new rows costs neither a
       lookup nor a merge in Python;
    2. every other key, and any of those the cloud already had, is locked (``SELECT ... FOR
       UPDATE``) and each change to it merged field by field, conflicts recorded; so is any later
       change in the batch to a row step 1 inserted. A key found nowhere (a row the box thinks
       synced that the cloud lacks) is inserted then, as in step 1, and locked if someone else's
       insert came first;
    3. one upsert writes what step 2 merged: only rows this transaction holds.
    """
    first_of, repeated = {}, set()
    for index, change in enumerate(changes):
        if change["op"] == "upsert":
            key = (change["entity"], change["id"])
            if key in first_of:
                repeated.add(key)
            else:
                first_of[key] = index
    fresh = _insert_new(box, changes, {k: i for k, i in first_of.items() if _made_here(changes[i]["payload"])})
    rows = _load(first_of.keys() - fresh)
    missing = first_of.keys() - fresh - rows.keys()
    if missing:
        inserted = _insert_new(box, changes, {k: first_of[k] for k in missing})
        fresh |= inserted
        rows.update(_load(missing - inserted))
    for key in repeated & fresh:  # the state step 1 stored, for the key's later changes to merge onto
        first = changes[first_of[key]]
        merged = _merge_one(None, box.id, first)
        rows[key] = (merged.data, merged.stamps, merged.crev, first)
    others = Box.select().where((Box.status == "active") & (Box.id != box.id)).exists()
    written, conflicts, fanout = {}, [], []
    for index, change in enumerate(changes):
        if change["op"] == "oversized":
            DeadLetter.create(box_id=box.id, topic=topic, reason="a change too large for any packet",
                              entity=change["entity"], entity_id=change["id"], seq=change["seq"],
                              size=int(change["payload"].get("bytes", 0)))
            continue
        key = (change["entity"], change["id"])
        if key in fresh and first_of[key] == index:  # stored by step 1: a new row, no conflict possible
            if key[0] in SHARED_ENTITIES and others and _has_content(change["payload"]):
                fanout.append({"entity": key[0], "entity_id": key[1], "scope": "others", "box_id": box.id})
            continue
        merged = _merge_one(rows.get(key), box.id, change)
        rows[key] = written[key] = (merged.data, merged.stamps, merged.crev, change)
        for conflict in merged.conflicts:
            conflicts.append({"entity": key[0], "entity_id": key[1], **conflict})
        fanout += _targets(box, key, merged, others)
    _store(written, box)
    if conflicts:
        SyncConflict.insert_many([{**c, "kept": _json(c["kept"]), "lost": _json(c["lost"])}
                                  for c in conflicts]).execute()
    _queue_fanout(fanout)
    return conflicts


def _made_here(payload: dict) -> bool:
    """Whether a change is a row's first version on its box: most likely one the cloud has never seen.

    Only a guess to save a lookup: a row guessed wrong is found in step 2 all the same.
    """
    rev = payload.get("rev")
    return not payload.get("synced_rev") and (rev is None or (type(rev) is int and rev <= 1))


def _has_content(payload: dict) -> bool:
    """Whether a new row's first change sets any content field (what merge_change reports as changed)."""
    return any(name not in META_FIELDS for name in payload)


# Step 1: a new row is what merge_change(None, ...) makes of its first change: the (upgraded) payload,
# every field stamped with revision 1, the change's time and the sending box. The stamps are built
# here by PostgreSQL, so Python only passes each payload on.
_INSERT_NEW = """
INSERT INTO entity_row (entity, entity_id, salon_id, data, stamps, crev, origin, schema, updated_at)
SELECT r.entity, r.entity_id, %s, r.data, jsonb_build_object('*', jsonb_build_object('rev', 1, 'at', r.at, 'by', %s::text)),
       1, %s, r.schema, now()
FROM jsonb_to_recordset(%s::jsonb) AS r(entity text, entity_id text, data jsonb, at jsonb, schema int)
ORDER BY r.entity, r.entity_id
ON CONFLICT (entity, entity_id) DO NOTHING
RETURNING entity, entity_id
"""


def _insert_new(box: Box, changes: list[dict], first_of: dict) -> set:
    """Step 1: insert the first change of every key as a new row where there is none; the keys inserted."""
    if not first_of:
        return set()
    rows = []
    for (entity, entity_id), index in first_of.items():
        change = changes[index]
        schema = change["schema"]
        payload = change["payload"] if schema >= CURRENT_SCHEMA else upgrade_payload(entity, change["payload"], schema)
        rows.append({"entity": entity, "entity_id": entity_id, "data": payload, "at": change.get("at") or "",
                     "schema": max(schema, CURRENT_SCHEMA)})
    cursor = database.execute_sql(_INSERT_NEW, (box.salon_id, box.id, box.id, _dumps(rows)))
    return {(entity, entity_id) for entity, entity_id in cursor.fetchall()}


def _json(value):
    return None if value is None else json.loads(json.dumps(value))


def _load(keys) -> dict:
    """The stored rows of a batch, locked until the batch commits.

    A client can be changed by two boxes' batches and by head office at the
    same moment; without the lock the later writer would overwrite the
    other's merge. Locks are taken in one order (entity, id) by every
    worker, so two batches touching the same rows cannot deadlock.
    """
    found = {}
    for entity in sorted({entity for entity, _ in keys}):
        ids = sorted(entity_id for e, entity_id in keys if e == entity)
        cursor = database.execute_sql(
            "SELECT entity_id, data, stamps, crev FROM entity_row WHERE entity = %s AND entity_id = ANY(%s) "
            "ORDER BY entity_id FOR UPDATE", (entity, ids))
        for entity_id, data, stamps, crev in cursor.fetchall():
            found[(entity, entity_id)] = (data, stamps, crev, None)
    return found


def _merge_one(stored, origin: str, change: dict):
    payload = upgrade_payload(change["entity"], change["payload"], change["schema"])
    base = int(payload.get("synced_rev") or 0)
    if stored is None:
        return merge_change(None, {}, 0, payload, None, base, origin, change.get("at") or "")
    data, stamps, crev, _ = stored
    return merge_change(data, stamps, crev, payload, change.get("changed"), base, origin, change.get("at") or "")


def _targets(box: Box, key: tuple, merged, others: bool) -> list[dict]:
    """Who must receive the merged row: the other salons for a shared one, the sender if its edit lost."""
    entity, entity_id = key
    lost_here = any(c["lost_by"] == box.id for c in merged.conflicts)
    rows = []
    if entity in SHARED_ENTITIES and merged.changed and others:
        rows.append({"entity": entity, "entity_id": entity_id, "scope": "others", "box_id": box.id})
    if lost_here:
        rows.append({"entity": entity, "entity_id": entity_id, "scope": "box", "box_id": box.id})
    return rows


# One parameter, a JSON array of rows, whatever the batch's size: the statement is the same
# text every time and nothing is converted per value on the way.
_UPSERT = """
INSERT INTO entity_row (entity, entity_id, salon_id, data, stamps, crev, origin, schema, updated_at)
SELECT r.entity, r.entity_id, r.salon_id, r.data, r.stamps, r.crev, r.origin, r.schema, now()
FROM jsonb_to_recordset(%s::jsonb) AS r(entity text, entity_id text, salon_id text, data jsonb, stamps jsonb,
                                        crev int, origin text, schema int)
ON CONFLICT (entity, entity_id) DO UPDATE SET data = EXCLUDED.data, stamps = EXCLUDED.stamps,
    crev = EXCLUDED.crev, origin = EXCLUDED.origin, schema = EXCLUDED.schema, updated_at = EXCLUDED.updated_at
"""
_FANOUT = """
INSERT INTO fanout (entity, entity_id, scope, box_id, salon_id, created_at)
SELECT r.entity, r.entity_id, r.scope, r.box_id, NULL, now()
FROM jsonb_to_recordset(%s::jsonb) AS r(entity text, entity_id text, scope text, box_id text)
"""


def _store(written: dict, box: Box) -> None:
    """One upsert for every row the batch touched (the salon a row first came from stays)."""
    rows = [{"entity": entity, "entity_id": entity_id, "salon_id": box.salon_id, "data": data, "stamps": stamps,
             "crev": crev, "origin": box.id, "schema": max(change["schema"], CURRENT_SCHEMA)}
            for (entity, entity_id), (data, stamps, crev, change) in written.items()]
    if rows:
        database.execute_sql(_UPSERT, (_dumps(rows),))


def _queue_fanout(rows: list[dict]) -> None:
    if rows:
        database.execute_sql(_FANOUT, (_dumps(rows),))


def record_status(box_id: str, raw: bytes, max_bytes: int) -> None:
    """A box's status message (online or its last will): the fleet view's online flag, version, backlog."""
    try:
        message = decode(raw, max_bytes)
    except MessageError as exc:
        dead_letter(box_id, f"salons/{box_id}/status", raw, str(exc))
        return
    changes = {Box.online: bool(message.get("online")), Box.last_seen_at: utc_now()}
    if message.get("software"):
        changes[Box.software] = str(message["software"])[:32]
    if isinstance(message.get("schema"), int):
        changes[Box.schema] = message["schema"]
    if isinstance(message.get("backlog"), int):
        changes[Box.backlog] = message["backlog"]
    # A targeted update: a whole-row save would put back counters others moved meanwhile.
    Box.update(changes).where(Box.id == box_id).execute()
