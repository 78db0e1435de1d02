"""Online booking in the cloud: a request goes to the salon's box, which books it or flags a clash (SY4, BK9).

The cloud never writes a booking into a salon's journal itself: the box is
the journal's authority. A request is ``tentative`` here until the box's
decision comes back up (``confirmed`` with its booking, or ``conflict``);
while the box is offline it simply waits, and nothing is lost.
"""
from datetime import datetime, timezone

from uuid6 import uuid7

from cloud.services.downstream import edit_row
from cloud.storage.models import EntityRow

ENTITY = "online_request"


def request_booking(salon_id: str, client_name: str, client_phone: str, items: list[dict],
                    starts_at: datetime, comment: str = "") -> EntityRow:
    """Ask the salon's box to book ``items`` from ``starts_at`` for the client; returns the tentative request."""
    if starts_at.tzinfo is None:
        raise ValueError("starts_at must be an aware datetime")
    moment = starts_at.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    return edit_row(ENTITY, str(uuid7()), salon_id, {
        "client_name": client_name, "client_phone": client_phone, "items": items, "starts_at": moment,
        "comment": comment, "status": "tentative", "reason": "", "client": None, "booking": None,
        "decided_at": None, "handled_note": "", "created_at": moment, "updated_at": moment})


def request_state(request_id: str) -> dict | None:
    """The request as the cloud knows it now (status, booking, reason)."""
    row = EntityRow.get_or_none((EntityRow.entity == ENTITY) & (EntityRow.entity_id == request_id))
    return None if row is None else dict(row.data)
