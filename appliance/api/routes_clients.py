"""Client cards: search, create, edit, duplicates and merge."""
from flask import Blueprint

from appliance.api.framework import endpoint
from appliance.api.schemas import clients as schema
from appliance.api.schemas.common import Page
from appliance.api.views import client_out
from appliance.domain.permissions import allowed
from appliance.services import clients
from appliance.services.context import SalonContext
from appliance.services.lookup import fetch
from appliance.storage.models.clients import Client

bp = Blueprint("clients", __name__)


@endpoint(bp, "GET", "/clients", summary="Search clients by name, phone fragment, card; filter by status, tag",
          permission="clients.read", query=schema.ClientQuery, response=Page[schema.ClientOut])
def list_clients(actor, query):
    ctx = SalonContext.load()
    rows, total = clients.search_clients(query.q, query.status, query.tag, query.include_inactive,
                                         query.limit, query.offset,
                                         by_phone=allowed(actor.role, "clients.contacts"))
    return Page[schema.ClientOut](items=[client_out(c, ctx, actor) for c in rows], total=total)


@endpoint(bp, "GET", "/clients/duplicates", summary="Groups of active clients sharing a phone",
          permission="clients.merge", response=schema.DuplicateGroups)
def list_duplicates(actor):
    ctx = SalonContext.load()
    return schema.DuplicateGroups(items=[
        schema.DuplicateGroup(phone=group[0].phone, clients=[client_out(c, ctx, actor) for c in group])
        for group in clients.duplicate_groups()])


@endpoint(bp, "GET", "/clients/<client_id>", summary="One client card", permission="clients.read",
          response=schema.ClientOut)
def get_client(actor, client_id):
    return client_out(fetch(Client, client_id), SalonContext.load(), actor)


@endpoint(bp, "POST", "/clients", summary="Add a client (a phone already on a card is refused)",
          permission="clients.write", body=schema.ClientIn, response=schema.ClientOut, status=201,
          conflicts=True)
def create_client(actor, body):
    data = body.model_dump()
    allow_duplicate = data.pop("allow_duplicate")
    return client_out(clients.create_client(actor, data, allow_duplicate), SalonContext.load(), actor)


@endpoint(bp, "PATCH", "/clients/<client_id>", summary="Change a client card", permission="clients.write",
          body=schema.ClientPatch, response=schema.ClientOut, conflicts=True)
def patch_client(actor, client_id, body):
    return client_out(clients.update_client(actor, client_id, body.changes()), SalonContext.load(), actor)


@endpoint(bp, "POST", "/clients/<client_id>/merge", summary="Merge another card into this one, keeping all history",
          permission="clients.merge", body=schema.MergeIn, response=schema.ClientOut)
def merge_client(actor, client_id, body):
    return client_out(clients.merge_clients(actor, client_id, body.source_id), SalonContext.load(), actor)
