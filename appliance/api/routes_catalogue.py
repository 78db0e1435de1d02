"""The salon's settings, catalogue categories and services, rooms and equipment."""
from flask import Blueprint

from appliance.api.framework import endpoint
from appliance.api.schemas import catalogue as schema
from appliance.api.schemas.common import Page
from appliance.api.views import plain_out, salon_out, whole_page
from appliance.services import catalogue, salon
from appliance.services.lookup import fetch
from appliance.storage.models.catalogue import Equipment, Room, Service, ServiceCategory

bp = Blueprint("catalogue", __name__)


@endpoint(bp, "GET", "/salon", summary="The salon's settings", permission="salon.read",
          response=schema.SalonOut)
def get_salon(actor):
    return salon_out(salon.current())


@endpoint(bp, "PATCH", "/salon", summary="Change the salon's settings", permission="salon.write",
          body=schema.SalonPatch, response=schema.SalonOut)
def patch_salon(actor, body):
    return salon_out(salon.update(actor, body.changes()))


def _listing(model, out, include_inactive, order):
    return whole_page(out, model.select().order_by(*order), include_inactive)


@endpoint(bp, "GET", "/categories", summary="Catalogue categories", permission="catalogue.read",
          query=schema.ListQuery, response=Page[schema.CategoryOut])
def list_categories(actor, query):
    return _listing(ServiceCategory, schema.CategoryOut, query.include_inactive,
                    (ServiceCategory.sort_order, ServiceCategory.name))


@endpoint(bp, "POST", "/categories", summary="Add a category", permission="catalogue.write",
          body=schema.CategoryIn, response=schema.CategoryOut, status=201)
def create_category(actor, body):
    return plain_out(schema.CategoryOut, catalogue.create_category(actor, body.model_dump()))


@endpoint(bp, "PATCH", "/categories/<category_id>", summary="Change or deactivate a category",
          permission="catalogue.write", body=schema.CategoryPatch, response=schema.CategoryOut)
def patch_category(actor, category_id, body):
    return plain_out(schema.CategoryOut, catalogue.update_category(actor, category_id, body.changes()))


@endpoint(bp, "GET", "/services", summary="Services", permission="catalogue.read",
          query=schema.ListQuery, response=Page[schema.ServiceOut])
def list_services(actor, query):
    return _listing(Service, schema.ServiceOut, query.include_inactive, (Service.sort_order, Service.name))


@endpoint(bp, "GET", "/services/<service_id>", summary="One service", permission="catalogue.read",
          response=schema.ServiceOut)
def get_service(actor, service_id):
    return plain_out(schema.ServiceOut, fetch(Service, service_id))


@endpoint(bp, "POST", "/services", summary="Add a service", permission="catalogue.write",
          body=schema.ServiceIn, response=schema.ServiceOut, status=201)
def create_service(actor, body):
    return plain_out(schema.ServiceOut, catalogue.create_service(actor, body.model_dump()))


@endpoint(bp, "PATCH", "/services/<service_id>", summary="Change or deactivate a service",
          permission="catalogue.write", body=schema.ServicePatch, response=schema.ServiceOut)
def patch_service(actor, service_id, body):
    return plain_out(schema.ServiceOut, catalogue.update_service(actor, service_id, body.changes()))


@endpoint(bp, "GET", "/rooms", summary="Rooms", permission="catalogue.read", query=schema.ListQuery,
          response=Page[schema.RoomOut])
def list_rooms(actor, query):
    return _listing(Room, schema.RoomOut, query.include_inactive, (Room.name,))


@endpoint(bp, "POST", "/rooms", summary="Add a room", permission="catalogue.write", body=schema.RoomIn,
          response=schema.RoomOut, status=201)
def create_room(actor, body):
    return plain_out(schema.RoomOut, catalogue.create_room(actor, body.model_dump()))


@endpoint(bp, "PATCH", "/rooms/<room_id>", summary="Change or deactivate a room", permission="catalogue.write",
          body=schema.RoomPatch, response=schema.RoomOut)
def patch_room(actor, room_id, body):
    return plain_out(schema.RoomOut, catalogue.update_room(actor, room_id, body.changes()))


@endpoint(bp, "GET", "/equipment", summary="Equipment", permission="catalogue.read", query=schema.ListQuery,
          response=Page[schema.EquipmentOut])
def list_equipment(actor, query):
    return _listing(Equipment, schema.EquipmentOut, query.include_inactive, (Equipment.name,))


@endpoint(bp, "POST", "/equipment", summary="Add equipment", permission="catalogue.write",
          body=schema.EquipmentIn, response=schema.EquipmentOut, status=201)
def create_equipment(actor, body):
    return plain_out(schema.EquipmentOut, catalogue.create_equipment(actor, body.model_dump()))


@endpoint(bp, "PATCH", "/equipment/<equipment_id>", summary="Change or deactivate equipment",
          permission="catalogue.write", body=schema.EquipmentPatch, response=schema.EquipmentOut)
def patch_equipment(actor, equipment_id, body):
    return plain_out(schema.EquipmentOut, catalogue.update_equipment(actor, equipment_id, body.changes()))
