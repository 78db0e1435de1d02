"""Health, sign-in, the caller, devices and the OpenAPI document."""
from datetime import timedelta

from flask import Blueprint, current_app, jsonify, request

from appliance.api.framework import SIGNED_IN, endpoint
from appliance.api.openapi import build_document
from appliance.api.schemas import access as schema
from appliance.api.views import staff_out
from appliance.domain.permissions import ROLE_PERMISSIONS
from appliance.services import auth
from appliance.storage.database import database
from appliance.storage.migrate import pending
from appliance.storage.models.access import Device
from appliance.storage.models.catalogue import Staff

bp = Blueprint("system", __name__)
from appliance.version import SOFTWARE_VERSION as VERSION


@endpoint(bp, "GET", "/health", summary="Is the box up, and is its schema current", permission=None,
          response=schema.Health)
def health():
    waiting = pending(database.obj)
    return schema.Health(ok=not waiting, version=VERSION, schema_pending=waiting)


@endpoint(bp, "GET", "/ping", summary="Cheapest authenticated call", permission=SIGNED_IN,
          response=schema.Pong)
def ping(actor):
    return schema.Pong(role=actor.role)


@endpoint(bp, "POST", "/auth/login", summary="Sign in; returns a bearer token", permission=None,
          body=schema.LoginIn, response=schema.LoginOut, extra_errors=(401,))
def login(body):
    ttl = timedelta(minutes=current_app.config["TOKEN_TTL_MINUTES"])
    staff, issued = auth.login(body.username, body.password, ttl)
    return schema.LoginOut(token=issued.token, expires_at=issued.expires_at, staff=staff_out(staff))


@endpoint(bp, "POST", "/auth/logout", summary="Revoke the token in use", permission=SIGNED_IN)
def logout(actor):
    auth.logout(request.headers["Authorization"].partition(" ")[2].strip())


@endpoint(bp, "GET", "/auth/me", summary="Who the token belongs to and what it may do",
          permission=SIGNED_IN, response=schema.MeOut)
def me(actor):
    staff = Staff.get_by_id(actor.id) if actor.kind == "staff" else None
    return schema.MeOut(kind=actor.kind, id=actor.id, role=actor.role,
                        permissions=sorted(ROLE_PERMISSIONS[actor.role]),
                        staff=staff_out(staff) if staff else None)


def _device_out(device) -> schema.DeviceOut:
    return schema.DeviceOut(id=device.id, name=device.name, kind=device.kind, active=device.active,
                            created_at=device.created_at)


@endpoint(bp, "GET", "/devices", summary="Enrolled kiosks", permission="devices.manage",
          response=schema.Devices)
def list_devices(actor):
    return schema.Devices(items=[_device_out(d) for d in Device.select().order_by(Device.created_at)])


@endpoint(bp, "POST", "/devices", summary="Enrol a kiosk; its token is shown once",
          permission="devices.manage", body=schema.DeviceIn, response=schema.DeviceCreated, status=201)
def enrol_device(actor, body):
    device, token = auth.enrol_device(actor, body.name)
    return schema.DeviceCreated(device=_device_out(device), token=token)


@endpoint(bp, "POST", "/devices/<device_id>/revoke", summary="Cut a device off at once",
          permission="devices.manage", response=schema.DeviceOut)
def revoke_device(actor, device_id):
    return _device_out(auth.revoke_device(actor, device_id))


@bp.get("/openapi.json")
def openapi_document():
    """The OpenAPI 3.1 document of this API (public, like any API description)."""
    return jsonify(build_document(current_app, "Salon box API", VERSION))
