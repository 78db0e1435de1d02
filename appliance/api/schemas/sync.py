"""The head-office link and online booking requests."""
from datetime import datetime

from pydantic import BaseModel, Field

from appliance.api.schemas.common import Input


class SyncStatusOut(BaseModel):
    connected: bool
    last_ack_at: datetime | None
    up_acked: int
    backlog: int = Field(description="change-log entries the cloud has not confirmed yet")
    last_seq: int
    down_applied: int
    last_down_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None


class OnlineRequestOut(BaseModel):
    id: str
    client_name: str
    client_phone: str | None = Field(description="masked for roles that may not see contacts")
    items: list[dict]
    starts_at: datetime
    status: str
    reason: str
    booking_id: str | None
    decided_at: datetime | None


class OnlineRequestList(BaseModel):
    items: list[OnlineRequestOut]


class HandledIn(Input):
    note: str = Field(min_length=1, max_length=1000, description="what was agreed with the client")
