"""The fleet of boxes: registering, revoking, and what head office sees of each (SY5, CO6)."""
from datetime import timedelta

from cloud.storage.database import database
from cloud.storage.models import Box, DeadLetter, SyncConflict, utc_now

STALE_AFTER = timedelta(minutes=5)  # no message for this long: shown offline whatever it last said


def register_box(box_id: str, name: str, salon_id: str | None = None) -> Box:
    """A new box (its id is its broker username); an existing one is renamed and reactivated."""
    with database.atomic():
        box = Box.get_or_none(Box.id == box_id)
        if box is None:
            return Box.create(id=box_id, name=name, salon=salon_id)
        box.name, box.status = name, "active"
        box.save(only=[Box.name, Box.status])  # never the stream counters, which workers move
        return box


def revoke_box(box_id: str) -> Box:
    """The cloud refuses the box's messages from now on (its broker account is disabled separately)."""
    with database.atomic():
        box = Box.get_by_id(box_id)
        box.status, box.online = "revoked", False
        box.save(only=[Box.status, Box.online])
        return box


def fleet_view() -> list[dict]:
    """Every box with its link state, lag and last error, for the head-office pages."""
    now = utc_now()
    rows = []
    for box in Box.select().order_by(Box.name):
        seen_recently = box.last_seen_at is not None and now - box.last_seen_at < STALE_AFTER
        lag = (now - box.last_change_at).total_seconds() if box.last_change_at and box.backlog else 0.0
        rows.append({"id": box.id, "name": box.name, "salon_id": box.salon_id, "status": box.status,
                     "online": box.online and seen_recently, "software": box.software, "schema": box.schema,
                     "up_applied": box.up_applied, "backlog": box.backlog, "lag_s": lag,
                     "down_pending": box.down_seq - box.down_acked, "last_seen_at": box.last_seen_at,
                     "last_error": box.last_error, "dead_letters": DeadLetter.select().where(
                         DeadLetter.box_id == box.id).count(),
                     "open_conflicts": SyncConflict.select().where(
                         SyncConflict.resolved_at.is_null()
                         & ((SyncConflict.kept_by == box.id) | (SyncConflict.lost_by == box.id))).count()})
    return rows
