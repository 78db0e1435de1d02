"""The arithmetic of a check (PO1, PO3, PO6): discounts, totals, split payments, change, refunds.

Pure functions over plain data. The checkout stores what ``price_cart`` and
``settle`` return and prints them through ``receipt_layout`` — whose own
``receipt_totals`` adds the same numbers up again — so the screen, the
paper and the database cannot disagree. Every amount is exact to the
currency's step (UZS whole sums, RUB kopecks); nothing is ever negative.
"""
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from appliance.domain.money import MoneyError, check_money, quantum, round_money

ZERO = Decimal(0)
HUNDRED = Decimal(100)
CASH = "cash"
METHODS = ("cash", "card", "transfer", "deposit", "certificate")
DISCOUNT_KINDS = ("percent", "amount")


class CheckoutError(ValueError):
    """Figures that break a rule of the check; names the field and the reason."""

    def __init__(self, field: str, reason: str):
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason


@dataclass(frozen=True)
class Discount:
    """A percentage of, or an amount off, a line or the whole check."""

    kind: str  # percent, amount
    value: Decimal


@dataclass(frozen=True)
class CartLine:
    """One line as entered: quantity × unit price, perhaps with its own discount."""

    quantity: Decimal
    unit_price: Decimal
    discount: Discount | None = None


@dataclass(frozen=True)
class PricedLine:
    """A line's figures: gross, its own discount, its share of the check's discount, and what is left."""

    gross: Decimal
    discount: Decimal
    check_share: Decimal

    @property
    def net(self) -> Decimal:
        """What the client pays for this line (the basis of a refund)."""
        return self.gross - self.discount - self.check_share


@dataclass(frozen=True)
class Cart:
    """The check's figures: subtotal − line discounts − check discount = total."""

    lines: tuple[PricedLine, ...]
    subtotal: Decimal
    line_discounts: Decimal
    check_discount: Decimal
    total: Decimal


@dataclass(frozen=True)
class Tender:
    """The part paid by one method; ``tendered`` is the cash handed over (cash only)."""

    method: str
    amount: Decimal
    tendered: Decimal | None = None
    reference: str = ""  # a certificate's code; the client for a deposit

    @property
    def change(self) -> Decimal:
        """Cash given back for this tender."""
        return ZERO if self.tendered is None else self.tendered - self.amount


def _money(amount: Decimal, currency: str, field: str) -> Decimal:
    try:
        return check_money(amount, currency)
    except MoneyError as exc:
        raise CheckoutError(field, str(exc)) from None


def discount_amount(base: Decimal, discount: Discount | None, currency: str, field: str = "discount") -> Decimal:
    """The amount ``discount`` takes off ``base``: a percentage rounded half-up, or the amount itself.

    Refused when it is not a percentage of 0–100, not exact money, or more than ``base``.
    """
    if discount is None:
        return ZERO
    if discount.kind == "percent":
        if not ZERO <= discount.value <= HUNDRED:
            raise CheckoutError(field, "a percentage must be from 0 to 100")
        amount = round_money(base * discount.value / HUNDRED, currency)
    elif discount.kind == "amount":
        amount = _money(discount.value, currency, field)
    else:
        raise CheckoutError(field, f"kind must be one of {', '.join(DISCOUNT_KINDS)}")
    if amount > base:
        raise CheckoutError(field, "must not exceed the sum it applies to")
    return amount


def allocate(amount: Decimal, weights: list[Decimal], currency: str) -> tuple[Decimal, ...]:
    """Split ``amount`` over ``weights`` in proportion, in whole steps of the currency, summing exactly.

    Largest remainder: each share is floored to the step, the steps left go to
    the largest remainders (earlier lines first on a tie). No share exceeds its weight.
    """
    total = sum(weights, ZERO)
    if amount == 0 or total == 0:
        return tuple(ZERO for _ in weights)
    step = quantum(currency)
    exact = [amount * w / total for w in weights]
    shares = [(e / step).to_integral_value(rounding=ROUND_FLOOR) * step for e in exact]
    left = int((amount - sum(shares, ZERO)) / step)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[:left]:
        shares[i] += step
    return tuple(shares)


def price_cart(lines: list[CartLine], check_discount: Discount | None, currency: str) -> Cart:
    """Price every line, take the line discounts, then the check's discount shared over the lines."""
    priced = []
    for index, line in enumerate(lines):
        if line.quantity <= 0:
            raise CheckoutError(f"lines.{index}.quantity", "must be more than zero")
        price = _money(line.unit_price, currency, f"lines.{index}.unit_price")
        gross = round_money(line.quantity * price, currency)
        priced.append((gross, discount_amount(gross, line.discount, currency, f"lines.{index}.discount")))
    after_lines = [gross - own for gross, own in priced]
    base = sum(after_lines, ZERO)
    check = discount_amount(base, check_discount, currency, "check_discount")
    shares = allocate(check, after_lines, currency)
    result = tuple(PricedLine(g, d, s) for (g, d), s in zip(priced, shares))
    subtotal = sum((p.gross for p in result), ZERO)
    own = sum((p.discount for p in result), ZERO)
    return Cart(result, subtotal, own, check, subtotal - own - check)


def settle(due: Decimal, tenders: list[Tender], currency: str) -> tuple[Tender, ...]:
    """Check a split payment of ``due`` (the total plus tips): exact, positive, only cash gives change."""
    if not tenders and due > 0:
        raise CheckoutError("payments", "add at least one payment")
    for index, t in enumerate(tenders):
        if t.method not in METHODS:
            raise CheckoutError(f"payments.{index}.method", f"must be one of {', '.join(METHODS)}")
        if _money(t.amount, currency, f"payments.{index}.amount") <= 0:
            raise CheckoutError(f"payments.{index}.amount", "must be more than zero")
        if t.tendered is not None:
            if t.method != CASH:
                raise CheckoutError(f"payments.{index}.tendered", "only cash is handed over with change")
            if _money(t.tendered, currency, f"payments.{index}.tendered") < t.amount:
                raise CheckoutError(f"payments.{index}.tendered", "is less than the cash part")
    paid = sum((t.amount for t in tenders), ZERO)
    if paid != due:
        raise CheckoutError("payments", f"add up to {paid}, but {due} is due")
    return tuple(tenders)


def cash_rest(due: Decimal, others: list[Tender], received: Decimal | None, currency: str) -> tuple[Tender, ...]:
    """The usual desk case: some parts by card, certificate…, the rest in cash from what was handed over.

    The cash part is what the other parts leave of ``due``; ``received`` is
    the cash handed over (at least the cash part; the difference is change).
    """
    rest = due - sum((t.amount for t in others), ZERO)
    if rest < 0:
        raise CheckoutError("payments", "the parts paid exceed what is due")
    tenders = list(others)
    if rest > 0:
        if received is not None and received < rest:
            raise CheckoutError("cash_received", f"is less than the cash part {rest}")
        tenders.append(Tender(CASH, rest, received))
    elif received:
        raise CheckoutError("cash_received", "nothing is left to pay in cash")
    return settle(due, tenders, currency)


def change_of(tenders: tuple[Tender, ...]) -> Decimal:
    """The change handed back: from cash only."""
    return sum((t.change for t in tenders if t.method == CASH), ZERO)


def refund_of(net: Decimal, quantity: Decimal, refunded_qty: Decimal, refunded: Decimal, returned: Decimal,
              currency: str) -> Decimal:
    """What returning ``returned`` of a line's ``quantity`` gives back, out of its ``net``.

    Earlier returns of the line took ``refunded_qty`` and ``refunded``; the
    last piece returned gets exactly what is left, so a line never refunds more than it cost.
    """
    if returned <= 0 or refunded_qty + returned > quantity:
        raise CheckoutError("quantity", "must be more than zero and at most what is left of the line")
    if refunded_qty + returned == quantity:
        return net - refunded
    return min(round_money(net * returned / quantity, currency), net - refunded)


def refund_split(amount: Decimal, paid: list[tuple[str, Decimal]]) -> list[tuple[str, Decimal]]:
    """Pay ``amount`` back to the original payments, latest first, none beyond what it still holds.

    ``paid`` is (key, amount still refundable) in payment order; CheckoutError
    if together they cannot cover ``amount``.
    """
    left, parts = amount, []
    for key, available in reversed(paid):
        if left <= 0:
            break
        take = min(left, available)
        if take > 0:
            parts.append((key, take))
            left -= take
    if left > 0:
        raise CheckoutError("lines", "the refund exceeds what the sale's payments can give back")
    return parts
