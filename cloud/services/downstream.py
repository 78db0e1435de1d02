"""What goes down to the boxes: head office's edits and rows shared between salons (SY2).

Ingest workers and head-office edits only append to ``fanout``. One down
publisher at a time (the worker holding an advisory lock) turns that queue
into each box's numbered stream of ``down_change`` rows and sends them; a
box's ack moves its ``down_acked`` on.
"""
from cloud.storage.database import database
from cloud.storage.models import Box, DownChange, EntityRow, Fanout, utc_now
from sync.merge import merge_change
from sync.schemas import CURRENT_SCHEMA

CLOUD = "cloud"
_LEADER_LOCK = 7231  # pg advisory lock key of the one down publisher


def try_lead() -> bool:
    """Become the down publisher if no other worker is (held until this connection closes)."""
    return bool(database.execute_sql("SELECT pg_try_advisory_lock(%s)", (_LEADER_LOCK,)).fetchone()[0])


def _targets(entry: Fanout, boxes: list[Box]) -> list[Box]:
    if entry.scope == "others":
        return [b for b in boxes if b.id != entry.box_id]
    if entry.scope == "all":
        return boxes
    if entry.scope == "box":
        return [b for b in boxes if b.id == entry.box_id]
    return [b for b in boxes if b.salon_id == entry.salon_id]


def fan_out(limit: int = 500) -> int:
    """Turn queued fan-out entries into per-box down changes; how many entries were handled.

    Bounded per call so the worker's loop keeps answering boxes while a large
    queue (a salon back from days offline) is worked through.
    """
    with database.atomic():
        entries = list(Fanout.select().order_by(Fanout.id).limit(limit))
        if not entries:
            return 0
        # Boxes before rows: a row read after may reflect more of a box's changes than its
        # applied position says, never fewer (the box then keeps a value the cloud already has).
        boxes = list(Box.select().where(Box.status == "active").order_by(Box.id))
        targets = {entry.id: _targets(entry, boxes) for entry in entries}
        wanted = {e.entity_id for e in entries if targets[e.id]}
        rows = {(r.entity, r.entity_id): r for r in EntityRow.select().where(EntityRow.entity_id.in_(wanted))} \
            if wanted else {}
        made = []
        for entry in entries:
            row = rows.get((entry.entity, entry.entity_id))
            if row is None:
                continue
            payload = {**row.data, "synced_rev": row.crev}
            for box in targets[entry.id]:
                box.down_seq += 1
                made.append({"box": box.id, "seq": box.down_seq, "entity": entry.entity,
                             "entity_id": entry.entity_id, "payload": payload, "applied_upto": box.up_applied})
        for start in range(0, len(made), 500):
            DownChange.insert_many(made[start:start + 500]).execute()
        for box in {m["box"] for m in made}:
            Box.update(down_seq=next(b.down_seq for b in boxes if b.id == box)).where(Box.id == box).execute()
        Fanout.delete().where(Fanout.id.in_([e.id for e in entries])).execute()
    return len(entries)


def pending_down(box_id: str, after: int, limit: int) -> list[dict]:
    """Down changes of one box after ``after``, as stream changes."""
    rows = (DownChange.select().where((DownChange.box == box_id) & (DownChange.seq > after))
            .order_by(DownChange.seq).limit(limit))
    return [{"seq": r.seq, "entity": r.entity, "id": r.entity_id, "op": "upsert", "changed": None,
             "payload": r.payload, "schema": CURRENT_SCHEMA, "at": r.created_at.isoformat(),
             "merged_upto": r.applied_upto} for r in rows]


def record_down_ack(box_id: str, upto: int) -> None:
    """The box has applied its down stream up to ``upto``."""
    Box.update(down_acked=upto).where((Box.id == box_id) & (Box.down_acked < upto) & (Box.down_seq >= upto)).execute()


def edit_row(entity: str, entity_id: str, salon_id: str | None, changes: dict, shared: bool = False) -> EntityRow:
    """Head office changes (or creates) a synced row; it goes down to the salon's boxes, or to all if shared."""
    at = utc_now().isoformat().replace("+00:00", "Z")
    with database.atomic():
        row = EntityRow.select().where((EntityRow.entity == entity) & (EntityRow.entity_id == entity_id)) \
            .for_update().first()
        if row is None:
            merged = merge_change(None, {}, 0, {"id": entity_id, **changes}, None, 0, CLOUD, at)
            row = EntityRow(entity=entity, entity_id=entity_id, salon_id=salon_id)
            is_new = True
        else:
            merged = merge_change(row.data, row.stamps, row.crev, {**row.data, **changes}, sorted(changes),
                                  row.crev, CLOUD, at)
            is_new = False
        row.data, row.stamps, row.crev, row.origin = merged.data, merged.stamps, merged.crev, CLOUD
        row.schema, row.updated_at = CURRENT_SCHEMA, utc_now()
        row.save(force_insert=is_new)
        if merged.changed:
            Fanout.create(entity=entity, entity_id=entity_id, scope="all" if shared else "salon",
                          box_id=None, salon_id=row.salon_id)
    return row
