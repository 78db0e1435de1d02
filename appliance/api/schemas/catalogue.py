"""Salon, staff, catalogue and resources."""
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from appliance.api.schemas.common import (
    DayIntervals, Email, Id, Input, Kind, LongText, Minutes, Money, Name, Patch, Title, integer,
)
from appliance.domain.money import SUPPORTED_CURRENCIES

Role = Literal["owner", "manager", "administrator", "master"]
Locale = Literal["ru", "uz", "en"]
Color = Field(pattern=r"^#[0-9a-fA-F]{6}$")
Needs = Annotated[str, Field(max_length=64)]  # the room or equipment type a service needs


class SalonOut(BaseModel):
    id: str
    name: str
    timezone: str
    currency: str
    country: str
    address: str
    phone: str | None
    opening_hours: list[DayIntervals]
    slot_step_min: int
    lost_after_days: int
    name_order: str


class SalonPatch(Patch):
    NULLABLE = frozenset({"phone"})

    name: Title | None = None
    timezone: str | None = Field(default=None, max_length=64)
    currency: Literal[SUPPORTED_CURRENCIES] | None = None  # type: ignore[valid-type]
    address: LongText | None = None
    phone: str | None = Field(default=None, max_length=32)
    opening_hours: list[DayIntervals] | None = Field(default=None, min_length=7, max_length=7)
    slot_step_min: Literal[5, 10, 15, 20, 30, 60] | None = None
    lost_after_days: integer(ge=7, le=3650) | None = None
    name_order: Literal["last_first", "first_last"] | None = None


class StaffOut(BaseModel):
    id: str
    first_name: str
    last_name: str
    position: str
    role: str
    phone: str | None
    email: str | None
    bookable: bool
    color: str
    sort_order: int
    username: str | None
    locale: str
    active: bool


class StaffIn(Input):
    first_name: Name
    last_name: str = Field(default="", max_length=100)
    position: str = Field(default="", max_length=100)
    role: Role
    phone: str | None = Field(default=None, max_length=32)
    email: Email | None = None
    bookable: bool = False
    color: str = Field(default="#7c9cbf", pattern=r"^#[0-9a-fA-F]{6}$")
    sort_order: integer(ge=0, le=10000) = 0
    username: str | None = Field(default=None, min_length=3, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    password: str | None = Field(default=None, min_length=1, max_length=200)
    locale: Locale = "ru"


class StaffPatch(Patch):
    NULLABLE = frozenset({"phone", "email", "username"})

    first_name: Name | None = None
    last_name: str | None = Field(default=None, max_length=100)
    position: str | None = Field(default=None, max_length=100)
    role: Role | None = None
    phone: str | None = Field(default=None, max_length=32)
    email: Email | None = None
    bookable: bool | None = None
    color: str | None = Field(default=None, pattern=r"^#[0-9a-fA-F]{6}$")
    sort_order: integer(ge=0, le=10000) | None = None
    username: str | None = Field(default=None, min_length=3, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    password: str | None = Field(default=None, min_length=1, max_length=200)
    locale: Locale | None = None
    active: bool | None = None


class SkillIn(Input):
    service_id: Id
    duration_min: Minutes | None = None
    price: Money | None = None
    price_max: Money | None = None


class SkillsIn(Input):
    skills: list[SkillIn] = Field(max_length=500)


class SkillOut(BaseModel):
    service_id: str
    duration_min: int | None
    price: Money | None
    price_max: Money | None


class SkillsOut(BaseModel):
    items: list[SkillOut]


class CategoryOut(BaseModel):
    id: str
    name: str
    parent_id: str | None
    sort_order: int
    active: bool


class CategoryIn(Input):
    name: Title
    parent_id: Id | None = None
    sort_order: integer(ge=0, le=10000) = 0


class CategoryPatch(Patch):
    NULLABLE = frozenset({"parent_id"})

    name: Title | None = None
    parent_id: Id | None = None
    sort_order: integer(ge=0, le=10000) | None = None
    active: bool | None = None


class ServiceOut(BaseModel):
    id: str
    category_id: str
    name: str
    description: str
    duration_min: int
    buffer_min: int
    price: Money
    price_max: Money | None
    room_type: str | None
    equipment_type: str | None
    bookable_online: bool
    sort_order: int
    active: bool


class ServiceIn(Input):
    category_id: Id
    name: Title
    description: LongText = ""
    duration_min: Minutes
    buffer_min: integer(ge=0, le=240) = 0
    price: Money
    price_max: Money | None = None
    room_type: Needs | None = None
    equipment_type: Needs | None = None
    bookable_online: bool = True
    sort_order: integer(ge=0, le=10000) = 0


class ServicePatch(Patch):
    NULLABLE = frozenset({"price_max", "room_type", "equipment_type"})

    category_id: Id | None = None
    name: Title | None = None
    description: LongText | None = None
    duration_min: Minutes | None = None
    buffer_min: integer(ge=0, le=240) | None = None
    price: Money | None = None
    price_max: Money | None = None
    room_type: Needs | None = None
    equipment_type: Needs | None = None
    bookable_online: bool | None = None
    sort_order: integer(ge=0, le=10000) | None = None
    active: bool | None = None


class RoomOut(BaseModel):
    id: str
    name: str
    room_type: str
    capacity: int
    active: bool


class RoomIn(Input):
    name: Title
    room_type: Kind
    capacity: integer(ge=1, le=100) = 1


class RoomPatch(Patch):
    name: Title | None = None
    room_type: Kind | None = None
    capacity: integer(ge=1, le=100) | None = None
    active: bool | None = None


class EquipmentOut(BaseModel):
    id: str
    name: str
    equipment_type: str
    active: bool


class EquipmentIn(Input):
    name: Title
    equipment_type: Kind


class EquipmentPatch(Patch):
    name: Title | None = None
    equipment_type: Kind | None = None
    active: bool | None = None


class ListQuery(Input):
    include_inactive: bool = False
