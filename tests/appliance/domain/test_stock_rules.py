"""Stock rules (IN1, IN6-IN8): unit conversion, exact quantities, turnover that always reconciles."""
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from appliance.domain import stock_rules as rules
from appliance.storage.fields import QuantityField

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
quantities = st.decimals(min_value=Decimal("-5000"), max_value=Decimal("5000"), places=3, allow_nan=False)
movements = st.lists(st.tuples(st.integers(0, 100).map(lambda h: T0 + timedelta(hours=h)), quantities), max_size=60)


def test_a_bottle_sold_as_a_piece_is_written_off_by_the_millilitre():
    assert rules.to_base(Decimal(2), Decimal(1000)) == 2000
    assert rules.to_packs(Decimal(250), Decimal(1000)) == Decimal("0.25")
    with pytest.raises(rules.QuantityError):
        rules.to_base(Decimal("0.0001"), Decimal(1))
    with pytest.raises(rules.QuantityError):
        rules.check_quantity("1.0005")
    with pytest.raises(rules.QuantityError):
        rules.check_quantity(0)
    assert rules.check_quantity(0, positive=False) == 0


@given(st.decimals(min_value=Decimal("-999999"), max_value=Decimal("999999"), places=3, allow_nan=False))
def test_quantity_field_round_trips_exactly(value):
    field = QuantityField()
    assert field.python_value(field.db_value(value)) == value


@given(movements, st.integers(0, 100), st.integers(0, 100))
def test_turnover_reconciles(moves, a, b):
    start, end = T0 + timedelta(hours=min(a, b)), T0 + timedelta(hours=max(a, b))
    result = rules.turnover(moves, start, end)
    assert result.closing == result.opening + result.incoming - result.outgoing
    assert result.closing == sum((q for at, q in moves if at < end), Decimal(0))
    assert result.incoming >= 0 and result.outgoing >= 0
    # The next period opens where this one closed.
    assert rules.turnover(moves, end, end + timedelta(hours=1)).opening == result.closing


def test_lots_drawn_first_expiring_first_and_the_rest_unlotted():
    assert rules.draw_from_lots([("a", Decimal(5)), ("b", Decimal(10))], Decimal(8)) == [
        ("a", Decimal(5)), ("b", Decimal(3))]
    assert rules.draw_from_lots([("a", Decimal(5))], Decimal(7)) == [("a", Decimal(5)), (None, Decimal(2))]


def test_discrepancies_low_stock_expiry_and_barcodes():
    [d] = rules.discrepancies({"p": Decimal(10)}, {"p": Decimal(7)})
    assert d.difference == -3
    assert rules.is_low(Decimal(2), Decimal(2)) and not rules.is_low(Decimal(3), Decimal(2))
    assert not rules.is_low(Decimal(-1), None)
    assert rules.expires_soon(date(2026, 1, 20), date(2026, 1, 1), 30)
    assert not rules.expires_soon(None, date(2026, 1, 1), 30)
    assert rules.check_barcode(" 4006381333931 ") == "4006381333931"
    with pytest.raises(ValueError):
        rules.check_barcode("4006381333932")
    assert rules.overuse(Decimal(30), Decimal(45)) == 15
