"""Bookings, series, group events and free slots."""
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from appliance.api.schemas.common import Id, Input, LocalDateTime, LongText, Minutes, Money, Patch, Title, integer

BookingStatus = Literal["requested", "confirmed", "arrived", "in_service", "completed", "no_show", "cancelled"]
Source = Literal["admin", "phone", "online", "kiosk", "messenger"]


class ItemIn(Input):
    id: Id | None = Field(default=None, description="an existing item of the booking (on update)")
    service_id: Id
    master_id: Id
    room_id: Id | None = None
    equipment_id: Id | None = None
    duration_min: Minutes | None = None
    price: Money | None = None


class BookingIn(Input):
    client_id: Id
    starts_at: LocalDateTime
    items: list[ItemIn] = Field(min_length=1, max_length=10, description="services in visit order")
    status: Literal["requested", "confirmed", "arrived"] = "confirmed"
    source: Source = "admin"
    comment: LongText = ""
    allow_outside_hours: bool = False


class BookingPatch(Patch):
    starts_at: LocalDateTime | None = None
    items: list[ItemIn] | None = Field(default=None, min_length=1, max_length=10)
    client_id: Id | None = None
    comment: LongText | None = None
    allow_outside_hours: bool = False
    scope: Literal["this", "following"] = Field(default="this", description="for a recurring booking")


class StatusIn(Input):
    status: BookingStatus
    reason: str = Field(default="", max_length=500)
    scope: Literal["this", "following"] = "this"


class ItemOut(BaseModel):
    id: str
    position: int
    service_id: str
    service_name: str
    master_id: str
    room_id: str | None
    equipment_id: str | None
    starts_at: datetime
    ends_at: datetime
    busy_until: datetime
    price: Money


class BookingOut(BaseModel):
    id: str
    code: str
    client_id: str
    client_name: str
    status: BookingStatus
    source: str
    comment: str
    status_reason: str
    series_id: str | None
    starts_at: datetime
    ends_at: datetime
    total: Money
    currency: str
    first_visit: bool
    items: list[ItemOut]
    created_at: datetime
    updated_at: datetime


class BookingList(BaseModel):
    items: list[BookingOut]


class BookingQuery(Input):
    starts_from: LocalDateTime
    starts_before: LocalDateTime
    master_id: list[Id] | None = Field(default=None, max_length=100)
    client_id: Id | None = None
    status: list[BookingStatus] | None = None


class BookingEventOut(BaseModel):
    id: str
    kind: str
    from_status: str | None
    to_status: str | None
    reason: str
    changes: dict
    actor_kind: str
    actor_id: str | None
    at: datetime


class BookingHistory(BaseModel):
    items: list[BookingEventOut]


class SeriesIn(BookingIn):
    every: integer(ge=1, le=52)
    unit: Literal["day", "week"]
    count: integer(ge=2, le=52)
    skip_conflicts: bool = False


class SkippedOccurrence(BaseModel):
    occurrence: int
    starts_at: datetime
    reasons: list[str]


class SeriesOut(BaseModel):
    id: str
    every: int
    unit: str
    count: int
    bookings: list[BookingOut]
    skipped: list[SkippedOccurrence]


class BookingsOut(BaseModel):
    items: list[BookingOut]


class SlotQuery(Input):
    service_id: list[Id] = Field(min_length=1, max_length=5, description="services of the visit, in order")
    master_id: list[Id | Literal["any"]] | None = Field(
        default=None, max_length=5, description="per service: a master id or 'any' (default any)")
    starts_from: LocalDateTime | None = Field(default=None, description="default: now")
    days: integer(ge=1, le=62) = 14
    limit: integer(ge=1, le=200) = 20


class SlotItem(BaseModel):
    service_id: str
    master_id: str
    room_id: str | None
    equipment_id: str | None
    starts_at: datetime
    ends_at: datetime


class Slot(BaseModel):
    starts_at: datetime
    items: list[SlotItem]


class Slots(BaseModel):
    items: list[Slot]


class GroupEventIn(Input):
    title: Title | None = None
    service_id: Id
    master_id: Id
    room_id: Id | None = None
    equipment_id: Id | None = None
    starts_at: LocalDateTime
    duration_min: Minutes | None = None
    capacity: integer(ge=1, le=500)
    price: Money | None = None
    allow_outside_hours: bool = False


class AttendeeOut(BaseModel):
    client_id: str
    client_name: str
    status: str


class GroupEventOut(BaseModel):
    id: str
    title: str
    service_id: str
    master_id: str
    room_id: str | None
    equipment_id: str | None
    starts_at: datetime
    ends_at: datetime
    capacity: int
    booked: int
    price: Money
    status: str
    attendees: list[AttendeeOut]


class GroupEvents(BaseModel):
    items: list[GroupEventOut]


class GroupEventQuery(Input):
    starts_from: LocalDateTime
    starts_before: LocalDateTime


class SignUpIn(Input):
    client_id: Id


class AttendeeStatusIn(Input):
    status: Literal["booked", "arrived", "cancelled", "no_show"]


class CancelIn(Input):
    reason: str = Field(min_length=1, max_length=500)




class JournalVersionOut(BaseModel):
    version: str = Field(description="changes whenever bookings, blocks or events may have changed")


class VisitCardIn(Input):
    language: Literal["ru", "uz", "en"] = Field(default="ru", description="the language of the printed card")


class PrintJobOut(BaseModel):
    id: int = Field(description="the job's place in the box's print queue")
    state: str = Field(description="queued, printing, done, failed-retrying, interrupted or cancelled")
    printer_id: str
