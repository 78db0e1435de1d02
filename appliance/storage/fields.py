"""Column types for exact money, UTC instants and JSON on SQLite."""
import json
from datetime import date, datetime, time, timezone
from decimal import Decimal
from json.encoder import c_make_encoder, encode_basestring

from peewee import Field, IntegerField, TextField

MONEY_SCALE = 4  # digits kept after the point: covers every ISO 4217 currency


class MoneyField(IntegerField):
    """Decimal money stored as an integer count of 1/10,000 units.

    Integers sum exactly in SQL, which a SQLite NUMERIC column (stored as a
    float) would not.
    """

    def db_value(self, value):
        """Decimal -> integer; refuses amounts finer than the scale rather than rounding."""
        if value is None:
            return None
        scaled = Decimal(value).scaleb(MONEY_SCALE)
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} has more than {MONEY_SCALE} decimal places")
        return int(scaled)

    def python_value(self, value):
        """Integer -> Decimal with two places unless finer ones are present."""
        if value is None:
            return None
        amount = Decimal(value).scaleb(-MONEY_SCALE)
        cents = amount.quantize(Decimal("0.01"))
        return cents if cents == amount else amount


def utc_text(moment: datetime) -> str:
    """An aware instant as the column stores it: 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC.

    isoformat, not strftime: several times cheaper (a booking writes a dozen instants and a
    slot search compares many), and four-digit years even before year 1000.
    """
    if moment.tzinfo is not timezone.utc:
        moment = moment.astimezone(timezone.utc)
    text = _RECENT_TEXTS.get(moment)
    if text is None:
        # In UTC the text always ends "+00:00": slicing it off is one call fewer than replace(tzinfo=None).
        text = moment.isoformat(" ", "microseconds")[:-6]
        if len(_RECENT_TEXTS) >= RECENT_TEXTS_KEPT:
            _RECENT_TEXTS.clear()
        _RECENT_TEXTS[moment] = text
    return text


# The same instants are written again and again (a booking's start is its first item's start, one
# clock reading stamps every row of a change), and formatting one takes C's printf: a few are kept.
RECENT_TEXTS_KEPT = 256
_RECENT_TEXTS: dict = {}


class UtcDateTimeField(Field):
    """An instant stored as fixed-width UTC text (sorts and compares as text).

    Python side is always an aware datetime in UTC; naive values are refused
    because a naive time on a box is exactly the bug this prevents.
    """

    field_type = "TEXT"

    def db_value(self, value):
        """Aware datetime -> 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return utc_text(value)

    def python_value(self, value):
        """Stored text -> aware UTC datetime."""
        if value is None:
            return None
        # fromisoformat is C-fast; strptime would dominate calendar loading.
        return datetime.fromisoformat(value).replace(tzinfo=timezone.utc)


# One encoder for every JSON column: json.dumps with options builds a new encoder per call.
_JSON_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
# And its C part built once too: JSONEncoder.encode makes a new one on every call (a third of
# encoding the small values a row holds). No map of the containers being encoded: the box's own
# values hold no cycles (one would end in RecursionError instead of ValueError).
_ENCODE_CHUNKS = c_make_encoder(None, _JSON_ENCODER.default, encode_basestring, None, ":", ",", True,
                                False, True)


def json_text(value) -> str:
    """``value`` as compact JSON text with sorted keys, as every JSON column stores it."""
    return "".join(_ENCODE_CHUNKS(value, 0))


class JsonField(TextField):
    """Any JSON value stored as compact text."""

    def db_value(self, value):
        """Python value -> JSON text (keys sorted so equal values store equally)."""
        if value is None:
            return None
        return json_text(value)

    def python_value(self, value):
        """JSON text -> Python value."""
        if value is None:
            return None
        # Most lists and maps on a row are empty (tags, extra phones, consents): no parser needed.
        if value == "[]":
            return []
        if value == "{}":
            return {}
        return json.loads(value)


QUANTITY_SCALE = 3  # stock is kept to 1/1000 of its base unit (0.001 ml, 0.001 g, 0.001 pcs)


class QuantityField(IntegerField):
    """A Decimal quantity of stock stored as an integer count of 1/1000 base units.

    Integer sums are exact in SQL, so on-hand and turnover figures add up to the
    last millilitre; quantities finer than the scale are refused, not rounded.
    """

    def db_value(self, value):
        """Decimal -> integer thousandths; refuses finer quantities."""
        if value is None:
            return None
        scaled = Decimal(value).scaleb(QUANTITY_SCALE)
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} has more than {QUANTITY_SCALE} decimal places")
        return int(scaled)

    def python_value(self, value):
        """Integer thousandths -> Decimal, without trailing zeros beyond what is needed."""
        if value is None:
            return None
        amount = Decimal(value).scaleb(-QUANTITY_SCALE)
        whole = amount.quantize(Decimal(1))
        return whole if whole == amount else amount.normalize()


def utc_iso(value: datetime) -> str:
    """An aware instant as JSON shows it: ISO 8601 in UTC with a Z ('2026-12-03T09:00:00Z')."""
    if value.tzinfo is timezone.utc:
        return value.replace(tzinfo=None).isoformat() + "Z"
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


# By exact type: this runs for every field of every change written to the outbox.
JSON_FORMS = {Decimal: str, datetime: utc_iso, date: date.isoformat, time: time.isoformat}


def json_value(value):
    """A field value as plain JSON: decimals and times as ISO strings."""
    form = JSON_FORMS.get(type(value))
    return value if form is None else form(value)
