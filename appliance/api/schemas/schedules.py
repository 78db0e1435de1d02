"""Work patterns, single-day changes, absences, blocked time and computed working hours."""
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from appliance.api.schemas.common import Day, DayIntervals, Id, Input, LocalDateTime, Patch, ShortText

AbsenceReason = Literal["vacation", "sick_leave", "unpaid_leave", "absence_without_leave", "training", "other"]


class WorkPatternOut(BaseModel):
    id: str
    staff_id: str
    kind: str
    name: str
    days: list[DayIntervals]
    anchor: date | None
    valid_from: date
    valid_until: date | None
    active: bool


class WorkPatternIn(Input):
    kind: Literal["weekly", "cycle"]
    name: str = Field(default="", max_length=64)
    days: list[DayIntervals] = Field(min_length=2, max_length=28,
                                     description="weekly: 7 days from Monday; cycle: 2-28 days from anchor")
    anchor: Day | None = None
    valid_from: Day
    valid_until: Day | None = None


class WorkPatternPatch(Patch):
    NULLABLE = frozenset({"valid_until", "anchor"})

    name: str | None = Field(default=None, max_length=64)
    days: list[DayIntervals] | None = Field(default=None, min_length=2, max_length=28)
    anchor: Day | None = None
    valid_from: Day | None = None
    valid_until: Day | None = None
    active: bool | None = None


class ScheduleDayIn(Input):
    intervals: DayIntervals = Field(description="[] for a day off")
    note: str = Field(default="", max_length=200)


class ScheduleDayOut(BaseModel):
    id: str
    staff_id: str
    day: date
    intervals: DayIntervals
    note: str
    active: bool


class AbsenceOut(BaseModel):
    id: str
    staff_id: str
    date_from: date
    date_to: date
    reason: str
    note: str
    active: bool


class AbsenceIn(Input):
    date_from: Day
    date_to: Day
    reason: AbsenceReason
    note: str = Field(default="", max_length=200)


class AbsencePatch(Patch):
    date_from: Day | None = None
    date_to: Day | None = None
    reason: AbsenceReason | None = None
    note: str | None = Field(default=None, max_length=200)
    active: bool | None = None


class TimeBlockOut(BaseModel):
    id: str
    staff_id: str | None
    room_id: str | None
    equipment_id: str | None
    starts_at: datetime
    ends_at: datetime
    reason: str
    active: bool


class TimeBlockIn(Input):
    staff_id: Id | None = None
    room_id: Id | None = None
    equipment_id: Id | None = None
    starts_at: LocalDateTime
    ends_at: LocalDateTime
    reason: ShortText = ""


class TimeBlockPatch(Patch):
    starts_at: LocalDateTime | None = None
    ends_at: LocalDateTime | None = None
    reason: ShortText | None = None
    active: bool | None = None


class RangeQuery(Input):
    date_from: Day
    date_to: Day
    staff_id: list[Id] | None = Field(default=None, max_length=100)


class WorkingInterval(BaseModel):
    starts_at: datetime
    ends_at: datetime


class WorkingDay(BaseModel):
    staff_id: str
    day: date
    intervals: list[WorkingInterval]


class WorkingDays(BaseModel):
    items: list[WorkingDay]


class BlockQuery(Input):
    starts_from: LocalDateTime
    starts_before: LocalDateTime
    include_inactive: bool = False


class PatternQuery(Input):
    include_inactive: bool = False


class AbsenceQuery(Input):
    date_from: Day | None = None
    date_to: Day | None = None
    include_inactive: bool = False


