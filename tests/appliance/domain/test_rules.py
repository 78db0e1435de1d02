"""Money rounding, client status, booking lifecycle, phone numbers."""
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from appliance.domain import booking_rules
from appliance.domain.client_status import client_status
from appliance.domain.money import MoneyError, check_money, round_money
from appliance.domain.phones import PhoneError, mask_phone, normalise_phone

NOW = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)


@given(st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False, allow_infinity=False))
def test_rounding_is_exact_and_idempotent(amount):
    for currency, step in (("UZS", Decimal(1)), ("RUB", Decimal("0.01"))):
        rounded = round_money(amount, currency)
        assert abs(rounded - amount) <= step / 2
        assert round_money(rounded, currency) == rounded


def test_over_precise_and_negative_amounts_are_refused():
    with pytest.raises(MoneyError, match="decimal places"):
        check_money(Decimal("100.5"), "UZS")
    with pytest.raises(MoneyError, match="negative"):
        check_money(Decimal("-1"), "RUB")
    assert check_money(Decimal("100.50"), "RUB") == Decimal("100.50")


@pytest.mark.parametrize("visits,days_ago,expected", [
    (0, None, "potential"), (1, 10, "new"), (3, 10, "regular"), (3, 91, "lost"), (1, 90, "new"),
])
def test_client_status(visits, days_ago, expected):
    last = None if days_ago is None else NOW - timedelta(days=days_ago)
    assert client_status(visits, last, NOW, 90) == expected


def test_status_threshold_is_configurable():
    assert client_status(2, NOW - timedelta(days=40), NOW, lost_after_days=30) == "lost"


def test_lifecycle_forbids_reviving_final_bookings():
    assert booking_rules.can_move("confirmed", "arrived")
    assert booking_rules.can_move("arrived", "completed")
    for final in booking_rules.FINAL:
        assert not any(booking_rules.can_move(final, s) for s in booking_rules.STATUSES)


def test_phones_are_normalised_to_e164():
    assert normalise_phone("90 123 45 67", "UZ") == "+998901234567"
    assert normalise_phone("8 (916) 123-45-67", "RU") == "+79161234567"
    with pytest.raises(PhoneError):
        normalise_phone("12345", "UZ")
    assert mask_phone("+998901234567") == "+998*****4567"
