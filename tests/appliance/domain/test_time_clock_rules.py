"""What a tap means (ST4): alternate in and out, a forgotten clock-out, repeats; card hashes (KI2)."""
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from appliance.domain.card_ids import card_uid_hash, is_uid_hash, uid_from_hex
from appliance.domain.time_clock import FORGOTTEN_AFTER, IN, OUT, REPEAT_WINDOW, is_repeat, next_kind

T0 = datetime(2026, 3, 2, 4, 0, tzinfo=timezone.utc)
KEY = bytes(range(32))


def test_taps_alternate_and_a_night_shift_clocks_out_after_midnight():
    assert next_kind(None, None, T0) == IN
    assert next_kind(IN, T0, T0 + timedelta(hours=9)) == OUT
    assert next_kind(OUT, T0, T0 + timedelta(minutes=5)) == IN
    assert next_kind(IN, T0, T0 + timedelta(hours=8, minutes=30)) == OUT  # 20:00 in, 04:30 out


def test_an_old_clock_in_is_a_forgotten_clock_out_and_the_tap_starts_a_new_shift():
    assert next_kind(IN, T0, T0 + FORGOTTEN_AFTER - timedelta(seconds=1)) == OUT
    assert next_kind(IN, T0, T0 + FORGOTTEN_AFTER) == IN
    assert next_kind(IN, T0, T0 + timedelta(days=3)) == IN


@given(st.floats(min_value=-3600, max_value=3600, allow_nan=False))
def test_a_repeat_is_a_tap_within_the_window_either_side(seconds):
    assert is_repeat(T0, T0 + timedelta(seconds=seconds)) == (abs(seconds) < REPEAT_WINDOW.total_seconds())
    assert not is_repeat(None, T0)


def test_card_hashes_are_keyed_and_never_the_uid():
    uid = uid_from_hex("04:A2:1B:7C:55:80:01")
    assert uid == bytes.fromhex("04a21b7c558001")
    first = card_uid_hash(uid, KEY)
    assert is_uid_hash(first) and uid.hex() not in first
    assert card_uid_hash(uid, KEY) == first
    assert card_uid_hash(uid, bytes(32)) != first  # another box's key gives another hash
    with pytest.raises(ValueError):
        card_uid_hash(b"\x01\x02", KEY)
    with pytest.raises(ValueError):
        card_uid_hash(uid, b"short")
    with pytest.raises(ValueError):
        uid_from_hex("not hex")
