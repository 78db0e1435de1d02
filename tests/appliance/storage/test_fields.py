"""The UTC instant column: stored text that sorts as time does, whatever zone the value came in.

And the JSON columns' text: compact, keys sorted, as the standard encoder writes it.
"""
import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from appliance.storage.fields import RECENT_TEXTS_KEPT, JsonField, UtcDateTimeField, json_text, utc_text

ZONES = st.sampled_from([timezone.utc, timezone(timedelta(hours=5)), timezone(timedelta(hours=-9, minutes=-30))])
INSTANTS = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=ZONES)


@given(INSTANTS)
def test_an_instant_is_stored_as_fixed_width_utc_text_and_read_back_unchanged(moment):
    field = UtcDateTimeField()
    text = field.db_value(moment)
    assert len(text) == 26 and text[4] == "-" and text[10] == " " and text[19] == "."
    assert text == moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f").rjust(26, "0")
    back = field.python_value(text)
    assert back == moment and back.tzinfo is timezone.utc


@given(INSTANTS, INSTANTS)
def test_stored_text_sorts_as_the_instants_do(a, b):
    assert (utc_text(a) < utc_text(b)) == (a < b)


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="naive"):
        UtcDateTimeField().db_value(datetime(2026, 12, 1, 10, 0))


def test_empty_json_reads_back_as_a_fresh_list_or_map_each_time():
    field = JsonField()
    first, second = field.python_value("[]"), field.python_value("[]")
    first.append("vip")
    assert second == [] and field.python_value("[]") == [] and field.python_value("{}") == {}
    assert field.python_value('["vip"]') == ["vip"] and field.python_value("null") is None


def test_kept_texts_are_of_the_instant_whatever_its_zone_and_survive_a_full_memo():
    moment = datetime(2026, 12, 7, 5, 30, 0, 250, tzinfo=timezone.utc)
    assert utc_text(moment) == "2026-12-07 05:30:00.000250"
    assert utc_text(moment.astimezone(timezone(timedelta(hours=5)))) == "2026-12-07 05:30:00.000250"
    for minute in range(RECENT_TEXTS_KEPT + 5):  # past the memo's size: it starts again
        later = moment + timedelta(minutes=minute)
        assert utc_text(later) == later.strftime("%Y-%m-%d %H:%M:%S.%f")
    assert utc_text(moment) == "2026-12-07 05:30:00.000250"


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20)


@given(_JSON_VALUES)
def test_json_text_is_what_the_standard_encoder_writes(value):
    reference = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert json_text(value) == reference.encode(value)


def test_json_text_refuses_what_json_cannot_hold_and_names_it():
    with pytest.raises(TypeError, match="Decimal"):
        json_text({"price": Decimal("1.50")})
