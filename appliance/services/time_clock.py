"""The time clock's seam with the card reader and the kiosk (ST4, KI2): a tap in, what it meant out.

The reader's driver (a separate process) hashes the card's UID with the
box's key (appliance.domain.card_ids, appliance.storage.secrets.card_key)
and calls ``handle_tap``; the kiosk polls ``taps_since`` for its reader and
shows each outcome; the enrolment page offers ``latest_unknown_tap``.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from appliance.domain import time_clock as rules
from appliance.domain.card_ids import is_uid_hash
from appliance.services.errors import InvalidInput
from appliance.storage import statements
from appliance.storage.database import write_transaction
from appliance.storage.models.base import utc_now
from appliance.storage.models.catalogue import Staff
from appliance.storage.models.clients import Client
from appliance.storage.models.time_clock import Card, CardTap, TimePunch

CLOCK_IN, CLOCK_OUT, REPEAT_IGNORED = "clock_in", "clock_out", "repeat_ignored"
CLIENT, UNKNOWN, REVOKED = "client", "unknown", "revoked"
OUTCOMES = (CLOCK_IN, CLOCK_OUT, REPEAT_IGNORED, CLIENT, UNKNOWN, REVOKED)
COUNTED = (CLOCK_IN, CLOCK_OUT, REPEAT_IGNORED)  # taps that start (or extend) the repeat window
# What the kiosk says, as keys it translates itself.
MESSAGE_KEYS = {CLOCK_IN: "timeclock.clocked_in", CLOCK_OUT: "timeclock.clocked_out",
                REPEAT_IGNORED: "timeclock.already_recorded", CLIENT: "timeclock.client_card",
                UNKNOWN: "timeclock.unknown_card", REVOKED: "timeclock.revoked_card"}
MAX_READER_NAME = 64
PAGE = 100


@dataclass(frozen=True)
class TapOutcome:
    """What one tap meant: for the kiosk's screen and the enrolment page."""

    id: int  # the tap's id (CardTap), increasing: poll with taps_since(reader, after_id)
    reader: str
    at: datetime  # when the card was tapped (UTC)
    outcome: str  # clock_in, clock_out, repeat_ignored, client, unknown, revoked
    message_key: str
    card_id: str | None = None
    staff_id: str | None = None
    client_id: str | None = None
    display_name: str = ""  # the holder's first name, for "Hello Anna"
    punch_id: str | None = None  # the punch made, or for a repeat the one already made
    punch_kind: str | None = None  # in, out
    punch_at: datetime | None = None


def handle_tap(reader: str, uid_hash: str, at: datetime | None = None, *,
               repeat_window: timedelta = rules.REPEAT_WINDOW,
               forgotten_after: timedelta = rules.FORGOTTEN_AFTER) -> TapOutcome:
    """Record a tap at ``reader`` and act on it: clock a staff member in or out, or say what the card is.

    The read-decide-write runs in one BEGIN IMMEDIATE transaction, so the
    gunicorn workers and the reader's process take turns: the same tap
    handled twice at once makes one punch and one repeat.
    """
    reader = (reader or "").strip()
    if not reader or len(reader) > MAX_READER_NAME:
        raise InvalidInput("reader", f"give the reader's name, 1 to {MAX_READER_NAME} characters")
    if not is_uid_hash(uid_hash):
        raise InvalidInput("uid_hash", "must be the card UID's HMAC-SHA256, 64 lowercase hex digits")
    if at is not None and at.tzinfo is None:
        raise InvalidInput("at", "must be an aware instant (the reader's clock in UTC)")
    at = at or utc_now()
    with write_transaction():
        card = statements.find_one(Card, uid_hash=uid_hash, active=True)
        if card is None:
            known = Card.select().where(Card.uid_hash == uid_hash).exists()
            tap = _record(reader, at, uid_hash, REVOKED if known else UNKNOWN)
        elif card.staff_id:
            tap = _staff_tap(reader, at, card, repeat_window, forgotten_after)
        else:
            holder = statements.get_by_id(Client, card.client_id)
            outcome = CLIENT if holder.active else REVOKED
            tap = _record(reader, at, uid_hash, outcome, card=card, client=holder.id)
    return _outcomes([tap])[0]


def _record(reader, at, uid_hash, outcome, card=None, staff=None, client=None, punch=None) -> CardTap:
    return CardTap.create(reader=reader, at=at, uid_hash=uid_hash, outcome=outcome,
                          card=card.id if card else None, staff=staff, client=client,
                          punch=punch.id if punch else None)


def _staff_tap(reader, at, card, repeat_window, forgotten_after) -> CardTap:
    staff = statements.get_by_id(Staff, card.staff_id)
    if not staff.active:
        return _record(reader, at, card.uid_hash, REVOKED, card=card, staff=staff.id)
    previous = (CardTap.select().where((CardTap.staff == staff.id) & CardTap.outcome.in_(COUNTED))
                .order_by(CardTap.at.desc(), CardTap.id.desc()).first())
    if previous is not None and rules.is_repeat(previous.at, at, repeat_window):
        punch = statements.get_by_id(TimePunch, previous.punch_id) if previous.punch_id else None
        return _record(reader, at, card.uid_hash, REPEAT_IGNORED, card=card, staff=staff.id, punch=punch)
    last = (TimePunch.select().where((TimePunch.staff == staff.id) & (TimePunch.voided == False)  # noqa: E712
                                     & (TimePunch.at <= at))
            .order_by(TimePunch.at.desc()).first())
    kind = rules.next_kind(last.kind if last else None, last.at if last else None, at, forgotten_after)
    punch = TimePunch.create(staff=staff.id, at=at, kind=kind, source="card", card=card.id, reader=reader)
    outcome = CLOCK_IN if kind == rules.IN else CLOCK_OUT
    return _record(reader, at, card.uid_hash, outcome, card=card, staff=staff.id, punch=punch)


def _outcomes(taps: list[CardTap]) -> list[TapOutcome]:
    """Taps as outcomes, with names and punches fetched in one query each."""
    staff = {s.id: s for s in statements.rows_where_in(Staff, "id", {t.staff_id for t in taps if t.staff_id})}
    clients = {c.id: c for c in statements.rows_where_in(Client, "id", {t.client_id for t in taps if t.client_id})}
    punches = {p.id: p for p in statements.rows_where_in(TimePunch, "id", {t.punch_id for t in taps if t.punch_id})}
    result = []
    for tap in taps:
        holder = staff.get(tap.staff_id) or clients.get(tap.client_id)
        punch = punches.get(tap.punch_id)
        result.append(TapOutcome(
            id=tap.id, reader=tap.reader, at=tap.at, outcome=tap.outcome, message_key=MESSAGE_KEYS[tap.outcome],
            card_id=tap.card_id, staff_id=tap.staff_id, client_id=tap.client_id,
            display_name=holder.first_name if holder else "", punch_id=tap.punch_id,
            punch_kind=punch.kind if punch else None, punch_at=punch.at if punch else None))
    return result


def taps_since(reader: str | None, after_id: int, newest_only: bool = False) -> list[TapOutcome]:
    """Taps at ``reader`` (any reader if None) after the tap ``after_id``, oldest first, at most 100.

    ``newest_only`` gives just the latest one (a kiosk page that has just
    loaded starts from there rather than answering old taps).
    """
    query = CardTap.select().where(CardTap.id > after_id)
    if reader is not None:
        query = query.where(CardTap.reader == reader)
    if newest_only:
        return _outcomes(list(query.order_by(CardTap.id.desc()).limit(1)))
    return _outcomes(list(query.order_by(CardTap.id).limit(PAGE)))


def tap_by_id(tap_id: int) -> TapOutcome | None:
    """One tap's outcome, or None."""
    tap = statements.get_by_id(CardTap, tap_id)
    return _outcomes([tap])[0] if tap else None


def latest_unknown_tap(since: datetime, reader: str | None = None) -> TapOutcome | None:
    """The latest tap since ``since`` of a card nobody holds now (unknown, or revoked and so enrollable again)."""
    query = CardTap.select().where(CardTap.outcome.in_((UNKNOWN, REVOKED)) & (CardTap.at >= since))
    if reader is not None:
        query = query.where(CardTap.reader == reader)
    tap = query.order_by(CardTap.at.desc(), CardTap.id.desc()).first()
    if tap is None or statements.find_one(Card, uid_hash=tap.uid_hash, active=True) is not None:
        return None  # enrolled since it was tapped
    return _outcomes([tap])[0]


def uid_hash_of_tap(tap_id: int) -> str | None:
    """The card hash a tap saw (for enrolling that card); stays on the box, never shown."""
    tap = statements.get_by_id(CardTap, tap_id)
    return tap.uid_hash if tap else None
