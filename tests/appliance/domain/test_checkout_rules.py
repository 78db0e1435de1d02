"""The check's arithmetic (PO1, PO3, PO6): discounts, shares, split payments, change, refunds."""
from datetime import datetime, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from appliance.domain.checkout import (
    CartLine, CheckoutError, Discount, Tender, allocate, cash_rest, change_of, discount_amount, price_cart,
    refund_of, refund_split, settle,
)
from appliance.domain.money import quantum
from appliance.domain.receipt_layout import Payment, SaleLine, SaleReceipt, SalonHeader, Tip, receipt_totals, \
    sale_receipt

D = Decimal
AT = datetime(2026, 3, 8, 7, 30, tzinfo=timezone.utc)
CURRENCIES = st.sampled_from(["UZS", "RUB"])


@st.composite
def carts(draw):
    currency = draw(CURRENCIES)
    step = quantum(currency)
    lines = []
    for _ in range(draw(st.integers(1, 5))):
        price = draw(st.integers(1, 500_000)) * step
        quantity = D(draw(st.sampled_from(["1", "2", "3", "0.5", "1.25"])))
        kind = draw(st.sampled_from([None, "percent", "amount"]))
        gross_floor = (quantity * price).quantize(step) if quantity * price >= step else step
        discount = None
        if kind == "percent":
            discount = Discount("percent", D(draw(st.integers(0, 100))))
        elif kind == "amount":
            discount = Discount("amount", draw(st.integers(0, int(gross_floor / step) - 1)) * step)
        lines.append(CartLine(quantity, price, discount))
    check = draw(st.sampled_from([None, Discount("percent", D(draw(st.integers(0, 100)))),
                                  Discount("amount", draw(st.integers(0, 3)) * step)]))
    tips = [draw(st.integers(0, 50_000)) * step for _ in range(draw(st.integers(0, 2)))]
    return currency, lines, check, tips


@given(carts(), st.data())
def test_lines_less_discounts_equal_the_total_the_payments_and_the_printed_receipt(cart_data, data):
    currency, lines, check, tips = cart_data
    try:
        cart = price_cart(lines, check, currency)
    except CheckoutError as exc:  # a fixed amount off a check smaller than it
        assert exc.field == "check_discount"
        return
    assert all(p.net >= 0 and p.check_share >= 0 for p in cart.lines)
    assert sum(p.net for p in cart.lines) == cart.total >= 0
    assert cart.subtotal - cart.line_discounts - cart.check_discount == cart.total
    due = cart.total + sum(tips, D(0))
    step = quantum(currency)
    card = data.draw(st.integers(0, int(due / step))) * step
    others = [Tender("card", card)] if card else []
    received = (due - card) + data.draw(st.integers(0, 1000)) * step if due - card else None
    tenders = cash_rest(due, others, received, currency)
    assert sum(t.amount for t in tenders) == due
    assert change_of(tenders) >= 0 and all(t.change == 0 for t in tenders if t.method != "cash")
    receipt = SaleReceipt("1", AT, tuple(SaleLine(f"L{i}", l.quantity, l.unit_price, p.discount)
                                         for i, (l, p) in enumerate(zip(lines, cart.lines))),
                          tuple(Payment(t.method, t.amount, t.tendered) for t in tenders),
                          discount=cart.check_discount, tips=tuple(Tip("M", t) for t in tips))
    totals = receipt_totals(receipt, currency)
    assert (totals.subtotal, totals.discount, totals.total, totals.change) == (
        cart.subtotal, cart.line_discounts + cart.check_discount, cart.total, change_of(tenders))
    sale_receipt(SalonHeader("S", "Asia/Tashkent", currency), receipt)  # prints without refusing


@given(st.integers(0, 10_000), st.lists(st.integers(0, 10_000), min_size=1, max_size=6), CURRENCIES)
def test_allocation_sums_exactly_and_never_exceeds_a_weight(amount, weights, currency):
    step = quantum(currency)
    weights = [w * step for w in weights]
    amount = min(amount * step, sum(weights, D(0)))
    shares = allocate(amount, weights, currency)
    assert sum(shares, D(0)) == amount
    assert all(D(0) <= s <= w for s, w in zip(shares, weights))


def test_discounts_round_per_currency_and_refuse_too_much():
    assert discount_amount(D("150000"), Discount("percent", D("7.5")), "UZS") == D("11250")
    assert discount_amount(D("999.99"), Discount("percent", D("10")), "RUB") == D("100.00")
    assert discount_amount(D("1001"), Discount("percent", D("15")), "UZS") == D("150")
    with pytest.raises(CheckoutError, match="exceed"):
        discount_amount(D("100"), Discount("amount", D("101")), "UZS")
    with pytest.raises(CheckoutError, match="decimal places"):
        discount_amount(D("100"), Discount("amount", D("0.5")), "UZS")
    with pytest.raises(CheckoutError, match="0 to 100"):
        discount_amount(D("100"), Discount("percent", D("101")), "RUB")


def test_split_payment_rules():
    assert change_of(cash_rest(D("320000"), [Tender("card", D("100000"))], D("250000"), "UZS")) == D("30000")
    with pytest.raises(CheckoutError) as exc:
        settle(D("100.00"), [Tender("card", D("100.00"), tendered=D("120.00"))], "RUB")
    assert exc.value.field == "payments.0.tendered"
    with pytest.raises(CheckoutError, match="add up"):
        settle(D("100.00"), [Tender("card", D("99.99"))], "RUB")
    with pytest.raises(CheckoutError) as exc:
        cash_rest(D("100"), [Tender("card", D("60"))], D("30"), "UZS")
    assert exc.value.field == "cash_received"
    with pytest.raises(CheckoutError, match="more than zero"):
        settle(D("0"), [Tender("cash", D("0"))], "UZS")
    assert settle(D("0"), [], "UZS") == ()


def test_refunds_never_give_back_more_than_the_line_cost_and_go_to_the_latest_payments():
    first = refund_of(D("100.00"), D("3"), D(0), D(0), D("1"), "RUB")
    second = refund_of(D("100.00"), D("3"), D("1"), first, D("1"), "RUB")
    last = refund_of(D("100.00"), D("3"), D("2"), first + second, D("1"), "RUB")
    assert (first, second, last) == (D("33.33"), D("33.33"), D("33.34"))
    with pytest.raises(CheckoutError):
        refund_of(D("100.00"), D("3"), D("3"), D("100.00"), D("1"), "RUB")
    assert refund_split(D("70000"), [("cash", D("50000")), ("card", D("40000"))]) == [
        ("card", D("40000")), ("cash", D("30000"))]
    with pytest.raises(CheckoutError):
        refund_split(D("100"), [("cash", D("99"))])
