"""Online booking requests: the box books them or flags the clash, the administrator settles the rest (SY4).

A request comes down from the cloud as ``tentative``. The box is the
authority for its journal, so it is decided here, through the same booking
engine as any other booking (BK8 holds): booked, it becomes ``confirmed``
with its booking; refused, it becomes ``conflict`` with the reason, and
stays on the administrator's list with the client's name and phone until
someone has called them and marks it ``handled``. Either way the decision
goes up to the cloud through the change log.
"""
from appliance.domain.phones import PhoneError, normalise_phone
from appliance.services.audit import audit
from appliance.services.bookings import create_booking
from appliance.services.clients import create_client
from appliance.services.context import Actor, SalonContext
from appliance.services.errors import Conflict, InvalidInput
from appliance.services.lookup import fetch
from appliance.storage.database import database, write_transaction
from appliance.storage.models.base import utc_now
from appliance.storage.models.bookings import OnlineRequest
from appliance.storage.models.clients import Client

NEEDS_ATTENTION = "conflict"


def _client_for(request: OnlineRequest, ctx: SalonContext) -> Client:
    """The card with the request's phone, or a new one."""
    try:
        phone = normalise_phone(request.client_phone, ctx.region)
    except PhoneError as exc:
        raise InvalidInput("client_phone", str(exc)) from None
    found = Client.get_or_none((Client.phone == phone) & (Client.active == True))  # noqa: E712
    if found is not None:
        return found
    first, _, last = request.client_name.strip().partition(" ")
    return create_client(Actor.system(), {"first_name": first or request.client_name, "last_name": last,
                                          "phone": phone, "source": "online"})


def _reason(exc) -> str:
    """Every clash by resource and reason, or the refusal's message when nothing clashed."""
    clashes = [f"{c.get('resource')} {c.get('resource_name')}: {c.get('reason')}"
               for c in getattr(exc, "conflicts", None) or []]
    return ("; ".join(dict.fromkeys(clashes)) or exc.message)[:1000]


def decide(request: OnlineRequest, ctx: SalonContext) -> OnlineRequest:
    """Book one tentative request, or mark it as a conflict with the reason; saved either way."""
    with write_transaction():
        try:
            with database.atomic():  # a refused booking leaves nothing behind, not even a new card
                client = _client_for(request, ctx)
                booking = create_booking(Actor.system(), {
                    "client_id": client.id, "starts_at": request.starts_at, "items": request.items,
                    "source": "online", "status": "confirmed", "comment": request.comment})
            request.status, request.client, request.booking, request.reason = "confirmed", client.id, booking.id, ""
        except (Conflict, InvalidInput) as exc:
            request.status, request.reason = NEEDS_ATTENTION, _reason(exc)
        request.decided_at = utc_now()
        request.save()
    return request


def decide_tentative() -> list[OnlineRequest]:
    """Decide every request still tentative, oldest first (the sync agent calls this after each batch)."""
    waiting = list(OnlineRequest.select().where(OnlineRequest.status == "tentative")
                   .order_by(OnlineRequest.created_at))
    if not waiting:
        return []
    ctx = SalonContext.load()
    return [decide(request, ctx) for request in waiting]


def needing_attention() -> list[OnlineRequest]:
    """Requests the box could not book, oldest first."""
    return list(OnlineRequest.select().where(OnlineRequest.status == NEEDS_ATTENTION)
                .order_by(OnlineRequest.starts_at))


def mark_handled(actor: Actor, request_id: str, note: str) -> OnlineRequest:
    """The administrator has settled a clashing request with the client (called them, booked another time)."""
    request = fetch(OnlineRequest, request_id)
    if request.status != NEEDS_ATTENTION:
        raise Conflict(f"a {request.status} request needs no handling", code="request_not_open")
    if not note.strip():
        raise InvalidInput("note", "say what was agreed with the client")
    with database.atomic():
        request.status, request.handled_note = "handled", note.strip()[:1000]
        request.save()
        audit(actor, "online_request.handled", "online_request", request.id, {"note": request.handled_note})
    return request
