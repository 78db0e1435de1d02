"""The time clock (ST4, KI2): cards, taps, punches and corrections, the timesheet."""
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from appliance.api.schemas.common import Day, Id, Input, LocalDateTime, integer

Reason = Annotated[str, Field(min_length=1, max_length=500, description="why; kept with the change and audited")]
ReaderName = Annotated[str, Field(min_length=1, max_length=64)]
UidHash = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$", description="HMAC-SHA256 of the card UID (never the UID)")]


class CardOut(BaseModel):
    id: str
    holder: Literal["staff", "client"]
    staff_id: str | None
    client_id: str | None
    holder_name: str
    label: str
    active: bool
    enrolled_at: datetime
    enrolled_by: str | None
    revoked_at: datetime | None
    revoked_by: str | None
    revoke_reason: str


class CardQuery(Input):
    include_revoked: bool = False
    staff_id: Id | None = None


class CardIn(Input):
    staff_id: Id | None = Field(default=None, description="a staff member's time-clock card; or client_id")
    client_id: Id | None = Field(default=None, description="a client's loyalty card; or staff_id")
    tap_id: integer(ge=1, le=2**62) | None = Field(default=None, description="the tap that saw the card; or uid_hash")
    uid_hash: UidHash | None = None
    label: str = Field(default="", max_length=64)


class RevokeIn(Input):
    reason: Reason


class TapOut(BaseModel):
    id: int
    reader: str
    at: datetime
    outcome: Literal["clock_in", "clock_out", "repeat_ignored", "client", "unknown", "revoked"]
    message_key: str
    card_id: str | None
    staff_id: str | None
    client_id: str | None
    display_name: str
    punch_kind: Literal["in", "out"] | None
    punch_at: datetime | None


class LatestTapQuery(Input):
    reader: ReaderName | None = None
    within_s: int = Field(default=60, ge=5, le=600, description="how far back to look, in seconds")


class LatestTap(BaseModel):
    tap: TapOut | None


class PunchOut(BaseModel):
    id: str
    staff_id: str
    at: datetime
    kind: Literal["in", "out"]
    source: Literal["card", "correction"]
    card_id: str | None
    reader: str
    note: str
    created_at: datetime
    created_by: str | None
    replaces_id: str | None
    voided: bool
    void_reason: str
    voided_by: str | None
    voided_at: datetime | None


class PeriodQuery(Input):
    date_from: Day
    date_to: Day
    staff_id: list[Id] | None = Field(default=None, max_length=100)


class PunchQuery(PeriodQuery):
    include_voided: bool = True


class PunchIn(Input):
    staff_id: Id
    at: LocalDateTime
    kind: Literal["in", "out"]
    reason: Reason


class VoidIn(Input):
    reason: Reason


class MoveIn(Input):
    at: LocalDateTime
    reason: Reason


class ShiftOut(BaseModel):
    starts_at: datetime
    ends_at: datetime | None


class DayOut(BaseModel):
    day: date
    planned_min: int
    worked_min: int
    late_min: int
    early_min: int
    overtime_min: int
    missing_out: bool
    missing_in: bool
    on_shift: bool
    absent: bool
    absence: str | None
    shifts: list[ShiftOut]
    stray_outs: list[datetime]


class TotalsOut(BaseModel):
    planned_min: int
    worked_min: int
    late_min: int
    early_min: int
    overtime_min: int
    days_worked: int
    missing_punches: int
    days_absent: int


class StaffSheetOut(BaseModel):
    staff_id: str
    name: str
    days: list[DayOut]
    totals: TotalsOut


class TimesheetOut(BaseModel):
    date_from: date
    date_to: date
    timezone: str
    grace_min: int
    staff: list[StaffSheetOut]
    totals: TotalsOut


class ExportQuery(PeriodQuery):
    format: Literal["xlsx", "csv"] = "xlsx"
