"""Client cards."""
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from appliance.api.schemas.common import Day, Email, Id, Input, LongText, Name, Patch, integer

Gender = Literal["female", "male", "other"]
Status = Literal["potential", "new", "regular", "lost"]
Phone = str
Tag = str


class ClientOut(BaseModel):
    id: str
    first_name: str
    last_name: str
    middle_name: str
    phone: str | None = Field(description="E.164; masked for roles that may not see contacts")
    extra_phones: list[str]
    email: str | None
    birthday: date | None
    gender: str | None
    source: str | None
    notes: str
    allergies: str
    preferences: dict[str, list[str]]
    consents: dict[str, bool]
    tags: list[str]
    card_number: str | None
    joined_on: date
    status: Status
    visit_count: int
    first_visit_at: datetime | None
    last_visit_at: datetime | None
    merged_into_id: str | None
    active: bool


class _ClientFields(Input):
    middle_name: str = Field(default="", max_length=100)
    extra_phones: list[str] = Field(default_factory=list, max_length=5)
    email: Email | None = None
    birthday: Day | None = None
    gender: Gender | None = None
    source: str | None = Field(default=None, max_length=64)
    notes: LongText = ""
    allergies: LongText = ""
    preferences: dict[Literal["masters", "services", "products"], list[Id]] = Field(default_factory=dict)
    consents: dict[Literal["sms", "email", "telegram", "whatsapp", "calls"], bool] = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list, max_length=20)
    card_number: str | None = Field(default=None, min_length=1, max_length=32)


class ClientIn(_ClientFields):
    first_name: Name
    last_name: str = Field(default="", max_length=100)
    phone: str | None = Field(default=None, max_length=32)
    allow_duplicate: bool = Field(default=False, description="create even if the phone is on another card")


class ClientPatch(Patch):
    NULLABLE = frozenset({"phone", "email", "birthday", "gender", "source", "card_number"})

    first_name: Name | None = None
    last_name: str | None = Field(default=None, max_length=100)
    middle_name: str | None = Field(default=None, max_length=100)
    phone: str | None = Field(default=None, max_length=32)
    extra_phones: list[str] | None = Field(default=None, max_length=5)
    email: Email | None = None
    birthday: Day | None = None
    gender: Gender | None = None
    source: str | None = Field(default=None, max_length=64)
    notes: LongText | None = None
    allergies: LongText | None = None
    preferences: dict[Literal["masters", "services", "products"], list[Id]] | None = None
    consents: dict[Literal["sms", "email", "telegram", "whatsapp", "calls"], bool] | None = None
    tags: list[str] | None = Field(default=None, max_length=20)
    card_number: str | None = Field(default=None, min_length=1, max_length=32)
    active: bool | None = None


class ClientQuery(Input):
    q: str = Field(default="", max_length=100, description="words of a name, phone digits or card number")
    status: Status | None = None
    tag: str | None = Field(default=None, max_length=64)
    include_inactive: bool = False
    limit: integer(ge=1, le=500) = 50
    offset: integer(ge=0, le=1_000_000_000) = 0


class MergeIn(Input):
    source_id: Id


class DuplicateGroup(BaseModel):
    phone: str
    clients: list[ClientOut]


class DuplicateGroups(BaseModel):
    items: list[DuplicateGroup]
