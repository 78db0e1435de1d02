"""Types shared by every part of the API."""
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, ClassVar, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, EmailStr, Field, WithJsonSchema

from appliance.services.errors import InvalidInput

MONEY_PATTERN = r"^[0-9]{1,12}(\.[0-9]{1,4})?$"
MAX_MONEY = 999999999999


def _whole(value):
    """A JSON number with no fraction (5.0) is an integer in JSON Schema; bodies are otherwise strict."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _money(value):
    """Amounts are exact: a decimal string, or a whole JSON number; never a binary fraction."""
    value = _whole(value)
    if isinstance(value, float):
        raise ValueError("send a fractional amount as a decimal string, e.g. \"99.50\"")
    if isinstance(value, str):
        if not re.fullmatch(MONEY_PATTERN, value):
            raise ValueError("must be a decimal string like \"150000\" or \"99.50\" (at most 4 decimals)")
        return Decimal(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if not isinstance(value, Decimal):
        raise ValueError("must be a decimal string or a whole number")
    return value


def integer(**constraints):
    """An int field for bodies: strict (no "5", no true), but 5.0 is 5 as JSON Schema has it."""
    return Annotated[int, Field(**constraints), BeforeValidator(_whole)]


Money = Annotated[
    Decimal,
    BeforeValidator(_money),
    Field(ge=0, le=Decimal(MAX_MONEY), max_digits=16, decimal_places=4),
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": MONEY_PATTERN},
                              {"type": "integer", "minimum": 0, "maximum": MAX_MONEY}],
                    "description": "Exact amount: a decimal string, or a whole number"}, mode="validation"),
    WithJsonSchema({"type": "string", "pattern": MONEY_PATTERN}, mode="serialization"),
]
Id = Annotated[str, Field(min_length=1, max_length=36)]
Name = Annotated[str, Field(min_length=1, max_length=100)]
Title = Annotated[str, Field(min_length=1, max_length=200)]
ShortText = Annotated[str, Field(max_length=200)]
LongText = Annotated[str, Field(max_length=4000)]
# Sized as their storage columns (CharField max_length), which the cloud's database enforces.
Kind = Annotated[str, Field(min_length=1, max_length=64)]
Email = Annotated[EmailStr, Field(max_length=200)]
Minutes = integer(ge=5, le=720)
TimeText = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
Interval = Annotated[list[TimeText], Field(min_length=2, max_length=2)]
DayIntervals = Annotated[list[Interval], Field(max_length=6)]
# Dates far from today only come from typos or fuzzers; refusing them keeps date arithmetic from overflowing.
EARLIEST, LATEST = date(1900, 1, 1), date(2199, 12, 31)
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DATETIME_PATTERN = (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
                    r"(Z|[+-][0-9]{2}:[0-9]{2})?$")


def _from_text(pattern: str, parse, example: str):
    """Parse request text that must match ``pattern`` exactly (pydantic alone also takes timestamps etc.)."""
    def validate(value):
        if not isinstance(value, str):
            return value
        if not re.fullmatch(pattern, value):
            raise ValueError(f"must look like {example}")
        try:
            return parse(value)
        except ValueError:
            raise ValueError(f"{value} is not a real date or time") from None
    return validate


def _in_range(value):
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST <= day <= LATEST:
        raise ValueError(f"must be between {EARLIEST} and {LATEST}")
    return value


_YEARS = f"{EARLIEST.year}-{LATEST.year}"
Day = Annotated[
    date,
    BeforeValidator(_from_text(DATE_PATTERN, date.fromisoformat, "2026-03-08")),
    AfterValidator(_in_range),
    WithJsonSchema({"type": "string", "format": "date", "description": f"A date like 2026-03-08 ({_YEARS})."}),
]
LocalDateTime = Annotated[
    datetime,
    BeforeValidator(_from_text(DATETIME_PATTERN, datetime.fromisoformat, "2026-03-08T14:30:00+05:00")),
    AfterValidator(_in_range),
    WithJsonSchema({"type": "string", "pattern": DATETIME_PATTERN, "description": (
        f"ISO 8601 like 2026-03-08T14:30 ({_YEARS}). With an offset (Z, +05:00) it is an instant; "
        "without one it is the salon's wall-clock time.")}),
]

T = TypeVar("T")


class Input(BaseModel):
    """A request body: unknown fields are refused so typos do not pass silently."""

    model_config = ConfigDict(extra="forbid")


class Patch(Input):
    """A partial update: absent fields stay; null clears only the fields that may be empty."""

    NULLABLE: ClassVar[frozenset] = frozenset()

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema, handler):
        """Document null only for the NULLABLE fields; on the others it is refused (422)."""
        schema = handler.resolve_ref_schema(handler(core_schema))
        for name, prop in schema.get("properties", {}).items():
            if name in cls.NULLABLE or "anyOf" not in prop:
                continue
            options = [option for option in prop["anyOf"] if option != {"type": "null"}]
            rest = {k: v for k, v in prop.items() if k not in ("anyOf", "default")}
            prop.clear()
            prop.update({**options[0], **rest} if len(options) == 1 else {"anyOf": options, **rest})
        return schema

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
