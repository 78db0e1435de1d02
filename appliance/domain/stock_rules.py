"""Stock rules as plain functions (IN1, IN6-IN8): units, quantities, turnover, counts, expiry, overuse.

Quantities are Decimals in the product's base unit (pcs, ml, g) kept to
1/1000 (storage.fields.QUANTITY_SCALE); a product sold by the piece and used
by the millilitre has ``pack_size`` base units in each piece.
"""
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from appliance.domain.print_document import ean13_check_digit

UNITS = ("pcs", "ml", "g")
NEGATIVE_POLICIES = ("refuse", "allow")
QUANTUM = Decimal("0.001")
MAX_QUANTITY = Decimal(10) ** 9


class QuantityError(ValueError):
    """A quantity that cannot be stock: not a number, negative where it may not be, too fine."""


def check_quantity(value, positive: bool = True) -> Decimal:
    """``value`` as an exact Decimal quantity; refuses finer than 0.001, non-positive (or negative) ones."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        raise QuantityError("must be a number") from None
    if not amount.is_finite() or abs(amount) >= MAX_QUANTITY:
        raise QuantityError("must be a finite number below 1,000,000,000")
    if amount != amount.quantize(QUANTUM):
        raise QuantityError("has more than 3 decimal places")
    if positive and amount <= 0:
        raise QuantityError("must be greater than zero")
    if amount < 0:
        raise QuantityError("must not be negative")
    return amount


def to_base(quantity: Decimal, pack_size: Decimal) -> Decimal:
    """Pieces (as sold or received) -> base units: 2 bottles of 1000 ml are 2000 ml. Exact or refused."""
    base = quantity * pack_size
    if base != base.quantize(QUANTUM):
        raise QuantityError("is finer than 0.001 of the base unit")
    return base


def to_packs(base: Decimal, pack_size: Decimal) -> Decimal:
    """Base units -> pieces, for display (250 ml of a 1000 ml bottle is 0.25)."""
    return (base / pack_size).quantize(QUANTUM).normalize() if pack_size else base


@dataclass(frozen=True)
class Turnover:
    """One product in one warehouse over a period; always closing = opening + incoming - outgoing."""

    opening: Decimal
    incoming: Decimal
    outgoing: Decimal
    closing: Decimal


def turnover(movements, start, end) -> Turnover:
    """Opening, in, out and closing over [start, end) from (at, signed quantity) pairs.

    ``start``/``end`` may be any comparable instants (or None for unbounded).
    Movements at or after ``end`` are not counted.
    """
    opening = incoming = outgoing = Decimal(0)
    for at, quantity in movements:
        if end is not None and at >= end:
            continue
        if start is not None and at < start:
            opening += quantity
        elif quantity >= 0:
            incoming += quantity
        else:
            outgoing -= quantity
    return Turnover(opening, incoming, outgoing, opening + incoming - outgoing)


@dataclass(frozen=True)
class Discrepancy:
    """A counted product's shortage (negative) or surplus (positive) against the books."""

    product_id: str
    expected: Decimal
    counted: Decimal

    @property
    def difference(self) -> Decimal:
        """Counted minus expected: what the stocktake posts."""
        return self.counted - self.expected


def discrepancies(expected: dict, counted: dict) -> list[Discrepancy]:
    """Every counted product with its difference; products not counted are left as they are."""
    return [Discrepancy(pid, expected.get(pid, Decimal(0)), qty) for pid, qty in counted.items()]


def is_low(on_hand: Decimal, level: Decimal | None) -> bool:
    """At or below the product's critical level (no level: never low)."""
    return level is not None and on_hand <= level


def expires_soon(expires_on: date | None, today: date, within_days: int) -> bool:
    """The lot expires within ``within_days`` days of ``today`` (or already has)."""
    return expires_on is not None and expires_on <= today + timedelta(days=within_days)


def draw_from_lots(lots, quantity: Decimal) -> list[tuple[object, Decimal]]:
    """Take ``quantity`` from (lot, remaining) pairs first-expiring-first; returns (lot, taken) pairs.

    The part no lot covers comes back with lot None (stock received without
    lots, or going negative where the salon allows it).
    """
    taken, left = [], quantity
    for lot, remaining in lots:
        if left <= 0:
            break
        part = min(remaining, left)
        if part > 0:
            taken.append((lot, part))
            left -= part
    if left > 0:
        taken.append((None, left))
    return taken


def overuse(norm: Decimal, actual: Decimal) -> Decimal:
    """Actual consumption beyond the cost card's norm (negative when less was used)."""
    return actual - norm


def check_barcode(code: str) -> str:
    """A barcode as stored: trimmed; 13 digits must carry a valid EAN-13 check digit."""
    code = code.strip()
    if not code or len(code) > 64 or not code.isascii() or not code.isprintable():
        raise ValueError("must be 1 to 64 printable ASCII characters")
    if code.isdigit() and len(code) == 13 and ean13_check_digit(code[:12]) != code[12]:
        raise ValueError("is not a valid EAN-13 (wrong check digit)")
    return code

