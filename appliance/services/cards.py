"""Enrolling and revoking cards (KI2): a staff member's time-clock card or a client's loyalty card.

A card is enrolled from its hash (the enrolment page takes it from the
latest unknown tap, so nobody types or sees a UID). At most one active card
per hash; revoked cards stay, inactive, with who revoked them and why.
"""
from dataclasses import dataclass

from appliance.domain.card_ids import is_uid_hash
from appliance.services import time_clock
from appliance.services.audit import audit
from appliance.services.context import Actor
from appliance.services.errors import Conflict, InvalidInput
from appliance.services.lookup import fetch
from appliance.storage import statements
from appliance.storage.database import write_transaction
from appliance.storage.models.base import utc_now
from appliance.storage.models.catalogue import Staff
from appliance.storage.models.clients import Client
from appliance.storage.models.time_clock import Card

STAFF, CLIENT = "staff", "client"
MAX_LABEL = 64
MAX_REASON = 500


@dataclass(frozen=True)
class Holder:
    """Whose card it is: ("staff", staff id) or ("client", client id)."""

    kind: str
    id: str

    @property
    def field(self) -> str:
        """The request field naming this holder."""
        return f"{self.kind}_id"


def holder_name(card: Card) -> str:
    """The holder's name as lists show it."""
    row = statements.get_by_id(Staff, card.staff_id) if card.staff_id else statements.get_by_id(Client, card.client_id)
    return " ".join(p for p in (row.first_name, row.last_name) if p)


def _check_holder(holder: Holder) -> None:
    if holder.kind not in (STAFF, CLIENT):
        raise InvalidInput("holder", "a card belongs to a staff member or a client")
    fetch(Staff if holder.kind == STAFF else Client, holder.id, field=holder.field, active_only=True)


def enrol_card(actor: Actor, holder: Holder, uid_hash: str, label: str = "", field: str = "uid_hash") -> Card:
    """Give the card with ``uid_hash`` to ``holder``; refused if it is active for someone else.

    Enrolling a card its holder already has changes nothing and returns it.
    ``field`` names the request field the hash came from (``tap_id`` when
    enrolled from a tap).
    """
    if not is_uid_hash(uid_hash):
        raise InvalidInput(field, "must be the card UID's HMAC-SHA256, 64 lowercase hex digits")
    label = (label or "").strip()
    if len(label) > MAX_LABEL:
        raise InvalidInput("label", f"at most {MAX_LABEL} characters")
    _check_holder(holder)
    # The write lock first: two enrolments of one card at once must not both pass the check.
    with write_transaction():
        current = statements.find_one(Card, uid_hash=uid_hash, active=True)
        if current is not None:
            if (current.staff_id if holder.kind == STAFF else current.client_id) == holder.id:
                return current
            raise InvalidInput(field, f"this card is already enrolled for {holder_name(current)}; revoke it first")
        card = Card.create(uid_hash=uid_hash, label=label, enrolled_at=utc_now(), enrolled_by=actor.id,
                           **{holder.kind: holder.id})
        audit(actor, "card.enrolled", "card", card.id, {"holder": holder.kind, f"{holder.kind}_id": holder.id,
                                                       "label": label})
    return card


def enrol_from_tap(actor: Actor, holder: Holder, tap_id: int, label: str = "") -> Card:
    """Enrol the card seen in tap ``tap_id`` (the enrolment page's "tap the card now")."""
    uid_hash = time_clock.uid_hash_of_tap(tap_id) if isinstance(tap_id, int) else None
    if uid_hash is None:
        raise InvalidInput("tap_id", f"no card tap with id {tap_id}")
    return enrol_card(actor, holder, uid_hash, label, field="tap_id")


def revoke_card(actor: Actor, card_id: str, reason: str) -> Card:
    """Take a card out of use (lost, stolen, left the salon); it stays listed as revoked."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("reason", "say why the card is revoked")
    if len(reason) > MAX_REASON:
        raise InvalidInput("reason", f"at most {MAX_REASON} characters")
    with write_transaction():
        card = fetch(Card, card_id)
        if not card.active:
            raise Conflict("the card is already revoked", code="already_revoked")
        card.active, card.revoked_at, card.revoked_by, card.revoke_reason = False, utc_now(), actor.id, reason
        card.save()
        audit(actor, "card.revoked", "card", card.id, {"holder": STAFF if card.staff_id else CLIENT}, note=reason)
    return card


def list_cards(include_revoked: bool = False, staff_id: str | None = None) -> list[Card]:
    """Cards, active first, newest enrolment first."""
    query = Card.select().order_by(Card.active.desc(), Card.enrolled_at.desc())
    if not include_revoked:
        query = query.where(Card.active == True)  # noqa: E712
    if staff_id:
        query = query.where(Card.staff == staff_id)
    return list(query)
