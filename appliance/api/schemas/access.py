"""Sign-in, the caller, devices."""
from datetime import datetime

from pydantic import BaseModel, Field

from appliance.api.schemas.catalogue import StaffOut
from appliance.api.schemas.common import Input, Name


class LoginIn(Input):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)


class LoginOut(BaseModel):
    token: str
    expires_at: datetime
    staff: StaffOut


class MeOut(BaseModel):
    kind: str
    id: str | None
    role: str
    permissions: list[str]
    staff: StaffOut | None


class DeviceIn(Input):
    name: Name


class DeviceOut(BaseModel):
    id: str
    name: str
    kind: str
    active: bool
    created_at: datetime


class DeviceCreated(BaseModel):
    device: DeviceOut
    token: str = Field(description="shown once; store it on the device")


class Devices(BaseModel):
    items: list[DeviceOut]


class Pong(BaseModel):
    ok: bool = True
    role: str


class Health(BaseModel):
    ok: bool
    version: str
    schema_pending: list[str]
