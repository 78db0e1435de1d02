"""The head-office link's state, and online requests the box could not book (SY3, SY4)."""
from flask import Blueprint

from appliance.api.framework import endpoint
from appliance.api.schemas import sync as schema
from appliance.api.views import local
from appliance.domain.permissions import allowed
from appliance.domain.phones import mask_phone
from appliance.services import online_requests, sync_outbox
from appliance.services.context import SalonContext

bp = Blueprint("sync", __name__)


@endpoint(bp, "GET", "/sync/status", summary="Is head office reachable, when did the box last sync, what waits",
          permission="salon.read", response=schema.SyncStatusOut)
def sync_status(actor):
    return schema.SyncStatusOut(**sync_outbox.sync_status())


def _request_out(row, actor, ctx) -> schema.OnlineRequestOut:
    phone = row.client_phone if allowed(actor.role, "clients.contacts") else mask_phone(row.client_phone)
    return schema.OnlineRequestOut(
        id=row.id, client_name=row.client_name, client_phone=phone, items=row.items,
        starts_at=local(row.starts_at, ctx), status=row.status, reason=row.reason, booking_id=row.booking_id,
        decided_at=local(row.decided_at, ctx))


@endpoint(bp, "GET", "/online-requests", summary="Online requests that clashed here and wait for the administrator",
          permission="bookings.read", response=schema.OnlineRequestList)
def list_online_requests(actor):
    ctx = SalonContext.load()
    return schema.OnlineRequestList(items=[_request_out(r, actor, ctx) for r in online_requests.needing_attention()])


@endpoint(bp, "POST", "/online-requests/<request_id>/handled", summary="Mark a clashing request settled",
          permission="bookings.write", body=schema.HandledIn, response=schema.OnlineRequestOut, conflicts=True)
def handle_online_request(actor, request_id, body):
    row = online_requests.mark_handled(actor, request_id, body.note)
    return _request_out(row, actor, SalonContext.load())
