"""Booking lifecycle (BK7): which status may follow which."""

REQUESTED = "requested"
CONFIRMED = "confirmed"
ARRIVED = "arrived"
IN_SERVICE = "in_service"
COMPLETED = "completed"
NO_SHOW = "no_show"
CANCELLED = "cancelled"
STATUSES = (REQUESTED, CONFIRMED, ARRIVED, IN_SERVICE, COMPLETED, NO_SHOW, CANCELLED)

# Statuses whose booking holds its master, room and equipment.
HOLDING = (REQUESTED, CONFIRMED, ARRIVED, IN_SERVICE, COMPLETED)
# Statuses after which the booking can no longer be moved or edited.
FINAL = (COMPLETED, NO_SHOW, CANCELLED)

TRANSITIONS = {
    REQUESTED: {CONFIRMED, ARRIVED, CANCELLED, NO_SHOW},
    CONFIRMED: {REQUESTED, ARRIVED, CANCELLED, NO_SHOW},
    ARRIVED: {CONFIRMED, IN_SERVICE, COMPLETED, CANCELLED},
    IN_SERVICE: {ARRIVED, COMPLETED},
    COMPLETED: set(),
    NO_SHOW: set(),
    CANCELLED: set(),
}
# Moving to these needs a reason, kept in the history.
NEEDS_REASON = {CANCELLED, NO_SHOW}


def can_move(current: str, target: str) -> bool:
    """True if a booking in ``current`` may be set to ``target``."""
    return target in TRANSITIONS.get(current, set())
