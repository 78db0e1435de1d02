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
from sync.merge import merge_change
from sync.messages import MessageError, decode
from sync.schemas import CURRENT_SCHEMA, upgrade_payload
from sync.stream import Receiver

# Shared by every salon of the business: a change goes down to all other boxes.
SHARED_ENTITIES = frozenset({"client"})
DEAD_LETTER_KEEP = 64 * 1024


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
        message = decode(raw, max_bytes)
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
    keys = {(c["entity"], c["id"]) for c in changes if c["op"] == "upsert"}
    rows = _load(keys)
    others = Box.select().where((Box.status == "active") & (Box.id != box.id)).exists()
    written, conflicts, fanout = {}, [], []
    for change in changes:
        if change["op"] == "oversized":
            DeadLetter.create(box_id=box.id, topic=topic, reason="a change too large for any packet",
                              entity=change["entity"], entity_id=change["id"], seq=change["seq"],
                              size=int(change["payload"].get("bytes", 0)))
            continue
        key = (change["entity"], change["id"])
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
        database.execute_sql(_UPSERT, (json.dumps(rows, ensure_ascii=False),))


def _queue_fanout(rows: list[dict]) -> None:
    if rows:
        database.execute_sql(_FANOUT, (json.dumps(rows),))


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
