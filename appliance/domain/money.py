"""Exact money: decimals rounded by the rules of each currency, never floats."""
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# Digits after the point that a price or a total carries in daily use.
# UZS: ISO 4217 lists two, but tiyin are not in circulation and salons
# price in whole sums, so amounts are kept whole.
CURRENCY_EXPONENT = {
    "UZS": 0,
    "RUB": 2,
    "KZT": 2,
    "KGS": 2,
    "TJS": 2,
    "USD": 2,
    "EUR": 2,
}
SUPPORTED_CURRENCIES = tuple(sorted(CURRENCY_EXPONENT))


class MoneyError(ValueError):
    """An amount that cannot be money in the given currency."""


def quantum(currency: str) -> Decimal:
    """The smallest step of an amount in ``currency`` (1 for UZS, 0.01 for RUB)."""
    try:
        exponent = CURRENCY_EXPONENT[currency]
    except KeyError:
        raise MoneyError(f"unsupported currency {currency!r}") from None
    return Decimal(1).scaleb(-exponent)


def round_money(amount, currency: str) -> Decimal:
    """Round ``amount`` half-up to the currency's step."""
    try:
        value = Decimal(str(amount)) if not isinstance(amount, Decimal) else amount
    except InvalidOperation:
        raise MoneyError(f"not a number: {amount!r}") from None
    if not value.is_finite():
        raise MoneyError("amount must be finite")
    return value.quantize(quantum(currency), rounding=ROUND_HALF_UP)


def check_money(amount: Decimal, currency: str) -> Decimal:
    """Return ``amount`` if it is a non-negative amount exact to the currency's step.

    Raises MoneyError naming the reason otherwise: prices typed by people
    must not be rounded silently.
    """
    if not amount.is_finite():
        raise MoneyError("amount must be finite")
    if amount < 0:
        raise MoneyError("amount must not be negative")
    if amount != round_money(amount, currency):
        raise MoneyError(f"{currency} amounts have at most {CURRENCY_EXPONENT[currency]} decimal places")
    return amount
