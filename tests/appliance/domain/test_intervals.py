"""Interval arithmetic, checked against a brute-force model of minutes."""
from hypothesis import given
from hypothesis import strategies as st

from appliance.domain.intervals import covers, is_free, merge, saturated, subtract

spans = st.lists(st.tuples(st.integers(0, 200), st.integers(1, 60)).map(lambda p: (p[0], p[0] + p[1])),
                 max_size=8)


def minutes(intervals):
    return {m for s, e in intervals for m in range(s, e)}


@given(spans)
def test_merge_keeps_the_same_minutes_in_disjoint_sorted_spans(raw):
    merged = merge(raw)
    assert minutes(merged) == minutes(raw)
    assert all(a[1] < b[0] for a, b in zip(merged, merged[1:]))


@given(spans, spans)
def test_subtract_is_set_difference(base, cuts):
    assert minutes(subtract(base, cuts)) == minutes(base) - minutes(cuts)


@given(spans, st.integers(0, 250), st.integers(1, 60))
def test_is_free_and_covers_agree_with_minutes(raw, start, length):
    merged = merge(raw)
    wanted = set(range(start, start + length))
    assert is_free(merged, start, start + length) == (not wanted & minutes(merged))
    assert covers(merged, start, start + length) == any(wanted <= set(range(s, e)) for s, e in merged)


@given(spans, st.integers(1, 3))
def test_saturated_is_where_capacity_is_reached(raw, capacity):
    full = minutes(saturated(raw, capacity))
    for minute in range(0, 270):
        level = sum(1 for s, e in raw if s <= minute < e)
        assert (minute in full) == (level >= capacity)
