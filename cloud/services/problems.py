"""What sync set aside, for head office to look at: dead letters and open conflicts (SY3, SY4).

Nothing here deletes: a conflict is marked resolved (who and when go to the
audit log) and stays in the table for history.
"""
import json
from datetime import datetime

from cloud.services.access import audit
from cloud.services.errors import NotFound
from cloud.storage.database import database
from cloud.storage.models import Box, DeadLetter, EntityRow, SyncConflict, utc_now
from cloud.storage.users import HeadOfficeUser

PAYLOAD_PREVIEW = 300  # characters of a dead letter's payload shown in the list
VALUE_PREVIEW = 200


def _names(box_ids) -> dict:
    ids = [b for b in set(box_ids) if b]
    return {b.id: b.name for b in Box.select(Box.id, Box.name).where(Box.id.in_(ids))} if ids else {}


def dead_letters(limit: int = 100, offset: int = 0) -> tuple[list[dict], int]:
    """The newest dead letters first (reason, box, when, size, the start of the payload), and how many in all."""
    total = DeadLetter.select().count()
    rows = list(DeadLetter.select().order_by(DeadLetter.received_at.desc(), DeadLetter.id.desc())
                .limit(limit).offset(offset))
    names = _names(r.box_id for r in rows)
    return [{"id": r.id, "box_id": r.box_id, "box_name": names.get(r.box_id, ""), "topic": r.topic,
             "reason": r.reason, "entity": r.entity, "entity_id": r.entity_id, "seq": r.seq, "size": r.size,
             "received_at": r.received_at, "preview": r.payload[:PAYLOAD_PREVIEW],
             "truncated": len(r.payload) > PAYLOAD_PREVIEW} for r in rows], total


def _value_text(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= VALUE_PREVIEW else text[:VALUE_PREVIEW] + "…"


def _instant(text: str | None) -> datetime | None:
    # Stamps are the editors' own ISO times ("...Z"); one that cannot be read is shown as given.
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None
    except ValueError:
        return None


def open_conflicts(limit: int = 100, offset: int = 0) -> tuple[list[dict], int]:
    """Unresolved conflicts, newest first: entity, field, kept and lost value, by whom and when; and the count."""
    query = SyncConflict.select().where(SyncConflict.resolved_at.is_null())
    total = query.count()
    rows = list(query.order_by(SyncConflict.recorded_at.desc(), SyncConflict.id.desc()).limit(limit).offset(offset))
    names = _names([r.kept_by for r in rows] + [r.lost_by for r in rows])
    salons = {}
    if rows:
        for row in EntityRow.select(EntityRow.entity, EntityRow.entity_id, EntityRow.salon_id).where(
                EntityRow.entity_id.in_(list({r.entity_id for r in rows}))):
            salons[(row.entity, row.entity_id)] = row.salon_id
    return [{"id": r.id, "entity": r.entity, "entity_id": r.entity_id, "field": r.field,
             "salon_id": salons.get((r.entity, r.entity_id)),
             "kept": _value_text(r.kept), "lost": _value_text(r.lost),
             "kept_by": r.kept_by, "kept_by_name": names.get(r.kept_by, ""),
             "lost_by": r.lost_by, "lost_by_name": names.get(r.lost_by, ""),
             "kept_at": _instant(r.kept_at), "kept_at_text": r.kept_at or "",
             "lost_at": _instant(r.lost_at), "lost_at_text": r.lost_at or "",
             "recorded_at": r.recorded_at} for r in rows], total


def conflict_counts_by_box() -> dict[str, int]:
    """Open conflicts per box that took part in them (as the side kept or the side lost)."""
    cursor = database.execute_sql(
        "SELECT who, COUNT(*) FROM (SELECT kept_by AS who FROM sync_conflict WHERE resolved_at IS NULL"
        " UNION ALL SELECT lost_by FROM sync_conflict WHERE resolved_at IS NULL AND lost_by <> kept_by) AS sides"
        " GROUP BY who")
    return {who: count for who, count in cursor.fetchall()}


def resolve_conflict(actor: HeadOfficeUser | None, conflict_id: int) -> tuple[SyncConflict, bool]:
    """Mark a conflict resolved (audited); the second value is False if it already was."""
    with database.atomic():
        conflict = SyncConflict.select().where(SyncConflict.id == conflict_id).for_update().first()
        if conflict is None:
            raise NotFound("no such conflict")
        if conflict.resolved_at is not None:
            return conflict, False
        conflict.resolved_at = utc_now()
        conflict.save()
        audit(actor, "conflict.resolved", "sync_conflict", str(conflict.id),
                     {"entity": conflict.entity, "entity_id": conflict.entity_id, "field": conflict.field,
                      "kept": conflict.kept, "lost": conflict.lost})
    return conflict, True
