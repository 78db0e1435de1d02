"""Types shared by every part of the API."""
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, ClassVar, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema

from appliance.services.errors import InvalidInput

MONEY_PATTERN = r"^\d{1,12}(\.\d{1,4})?$"

Money = Annotated[
    Decimal,
    Field(ge=0, le=Decimal("999999999999"), max_digits=16, decimal_places=4),
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": MONEY_PATTERN},
                              {"type": "number", "minimum": 0, "maximum": 999999999999}],
                    "description": "Exact amount; send it as a decimal string"}, mode="validation"),
    WithJsonSchema({"type": "string", "pattern": MONEY_PATTERN}, mode="serialization"),
]
Id = Annotated[str, Field(min_length=1, max_length=36)]
Name = Annotated[str, Field(min_length=1, max_length=100)]
Title = Annotated[str, Field(min_length=1, max_length=200)]
ShortText = Annotated[str, Field(max_length=200)]
LongText = Annotated[str, Field(max_length=4000)]
Minutes = Annotated[int, Field(ge=5, le=720)]
TimeText = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
Interval = Annotated[list[TimeText], Field(min_length=2, max_length=2)]
DayIntervals = Annotated[list[Interval], Field(max_length=6)]
# Dates far from today only come from typos or fuzzers; refusing them keeps date arithmetic from overflowing.
EARLIEST, LATEST = date(1900, 1, 1), date(2199, 12, 31)


def _in_range(value):
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST <= day <= LATEST:
        raise ValueError(f"must be between {EARLIEST} and {LATEST}")
    return value


Day = Annotated[date, AfterValidator(_in_range), Field(
    description=f"A date like 2026-03-08 ({EARLIEST.year}-{LATEST.year}).")]
LocalDateTime = Annotated[datetime, AfterValidator(_in_range), Field(
    description=f"ISO 8601 ({EARLIEST.year}-{LATEST.year}). With an offset it is an instant; "
                "without one it is the salon's wall-clock time.")]

T = TypeVar("T")


class Input(BaseModel):
    """A request body: unknown fields are refused so typos do not pass silently."""

    model_config = ConfigDict(extra="forbid")


class Patch(Input):
    """A partial update: absent fields stay; null clears only the fields that may be empty."""

    NULLABLE: ClassVar[frozenset] = frozenset()

    def changes(self) -> dict:
        """The fields the caller sent; an explicit null on a required field is refused."""
        sent = self.model_dump(exclude_unset=True)
        for name, value in sent.items():
            if value is None and name not in self.NULLABLE:
                raise InvalidInput(name, "cannot be null")
        return sent


class Page(BaseModel, Generic[T]):
    """A page of a list and the total count of matches."""

    items: list[T]
    total: int


class Ok(BaseModel):
    """A plain acknowledgement."""

    ok: bool = True
