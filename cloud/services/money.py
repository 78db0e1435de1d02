"""Exact money as head office types it: Decimal, never float, never rounded behind anyone's back.

The boxes keep the same rules (appliance/domain/money.py); the cloud has its
own copy so that it does not depend on the box's code.
"""
import re
from decimal import Decimal, InvalidOperation

from babel.numbers import get_currency_precision

# Digits after the point in daily use. UZS: ISO 4217 says two, but tiyin are
# not in circulation and salons price in whole sums.
CURRENCY_EXPONENT = {"UZS": 0, "RUB": 2, "KZT": 2, "KGS": 2, "TJS": 2, "USD": 2, "EUR": 2}
MAX_AMOUNT = Decimal(999_999_999_999)
_CURRENCY_RE = re.compile(r"[A-Z]{3}")
_GROUPING = re.compile(r"[\s\u00a0\u202f']")


def exponent(currency: str) -> int | None:
    """Digits after the point for ``currency``, or None when the currency is not known."""
    if currency in CURRENCY_EXPONENT:
        return CURRENCY_EXPONENT[currency]
    if not currency or not _CURRENCY_RE.fullmatch(currency):
        return None
    return get_currency_precision(currency)


def parse_amount(text: str, currency: str) -> tuple[Decimal | None, tuple[str, dict] | None]:
    """An amount typed by a person, or a reason (code, parameters).

    Spaces group digits; one comma or point marks the fraction. In a
    currency without fractions (UZS) "150,000" and "150.000" are grouped
    thousands, never 150.
    """
    digits = exponent(currency)
    if digits is None:
        return None, ("currency_unknown", {})
    cleaned = _GROUPING.sub("", text or "")
    if digits == 0 and re.fullmatch(r"[0-9]{1,3}([.,][0-9]{3})+", cleaned):
        cleaned = re.sub(r"[.,]", "", cleaned)
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"[0-9]{1,15}(\.[0-9]{1,10})?", cleaned):
        return None, ("not_a_number", {})
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        return None, ("not_a_number", {})
    if amount > MAX_AMOUNT:
        return None, ("too_large", {})
    if amount != amount.quantize(Decimal(1).scaleb(-digits)):
        if digits == 0:
            return None, ("whole_amounts", {"currency": currency})
        return None, ("too_many_places", {"n": digits, "currency": currency})
    return amount, None


def from_snapshot(value) -> Decimal | None:
    """An amount as a box's JSON snapshot holds it ("150000.00"); None when absent or unreadable."""
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def to_snapshot(amount: Decimal | None) -> str | None:
    """An amount as the box writes it in a snapshot: two places unless finer ones are present."""
    if amount is None:
        return None
    cents = amount.quantize(Decimal("0.01"))
    return str(cents if cents == amount else amount)


def form_text(amount: Decimal | None, currency: str) -> str:
    """An amount as a form field shows it: no grouping, the currency's own decimals."""
    if amount is None:
        return ""
    digits = exponent(currency)
    digits = 2 if digits is None else digits
    if amount != amount.quantize(Decimal(1).scaleb(-digits)):
        return str(amount)  # finer than the currency allows: shown as it is, so saving it is refused, not rounded
    return f"{amount:.{digits}f}"
