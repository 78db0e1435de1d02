"""Nearest free time: offered slots are really free, and free time is really offered.

Times are plain integers (minutes here); the rules are checked against a
brute-force model that looks at every minute.
"""
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from appliance.domain.availability import Calendar, Need, find_slots
from appliance.domain.intervals import merge

DAY = 24 * 60
STEP = 15


def _spans(draw, count, lo=0, hi=DAY, min_len=5, max_len=240):
    result = []
    for _ in range(draw(st.integers(0, count))):
        start = draw(st.integers(lo, hi - min_len))
        result.append((start, min(hi, start + draw(st.integers(min_len, max_len)))))
    return merge(result)


@st.composite
def scenarios(draw):
    masters = [f"m{i}" for i in range(draw(st.integers(1, 3)))]
    calendar = Calendar()
    for m in masters:
        calendar.working[m] = _spans(draw, 3, 6 * 60, 23 * 60, 60, 600)
        calendar.busy[m] = _spans(draw, 6, 0, DAY, 5, 120)
    rooms = None
    if draw(st.booleans()):
        rooms = ("r1", "r2")[: draw(st.integers(1, 2))]
        calendar.room_full = {r: _spans(draw, 3, 0, DAY, 10, 180) for r in rooms}
    need = Need("svc", tuple(masters), {m: draw(st.sampled_from([30, 45, 60, 90])) for m in masters},
                buffer=draw(st.sampled_from([0, 10, 15])), rooms=rooms)
    return need, calendar


def _minutes(spans):
    return {m for s, e in spans for m in range(s, e)}


def _fits(need, calendar, master, start):
    """Brute force: working covers the service, nothing busy during service and buffer."""
    duration = need.durations[master]
    service = set(range(start, start + duration))
    held = set(range(start, start + duration + need.buffer))
    if not any(service <= set(range(s, e)) for s, e in calendar.working[master]):
        return False
    if held & _minutes(calendar.busy[master]):
        return False
    if need.rooms is not None and all(held & _minutes(calendar.room_full[r]) for r in need.rooms):
        return False
    return True


@settings(max_examples=300, deadline=None)
@given(scenarios(), st.integers(0, DAY))
def test_every_offered_slot_is_free_and_inside_working_time(scenario, earliest):
    need, calendar = scenario
    for slot in find_slots([need], calendar, earliest, DAY, STEP, 0, limit=50):
        (placement,) = slot.placements
        assert earliest <= slot.start < DAY
        assert _fits(need, calendar, placement.master_id, slot.start)
        if need.rooms is not None:
            held = set(range(placement.start, placement.busy_until))
            assert not held & _minutes(calendar.room_full[placement.room_id])


@settings(max_examples=300, deadline=None)
@given(scenarios(), st.data())
def test_a_free_slot_is_found(scenario, data):
    need, calendar = scenario
    master = data.draw(st.sampled_from(need.masters))
    free = [t for t in range(0, DAY, STEP) if _fits(need, calendar, master, t)]
    assume(free)
    wanted = data.draw(st.sampled_from(free))
    only = Need(need.service_id, (master,), need.durations, need.buffer, need.rooms)
    found = find_slots([only], calendar, wanted, DAY, STEP, 0, limit=1)
    assert [s.start for s in found] == [wanted]


@settings(max_examples=200, deadline=None)
@given(scenarios())
def test_no_free_grid_time_is_left_out(scenario):
    need, calendar = scenario
    found = find_slots([need], calendar, 0, DAY, STEP, 0, limit=10_000)
    offered = {(s.start, s.placements[0].master_id) for s in found}
    for master in need.masters:
        for t in range(0, DAY, STEP):
            if _fits(need, calendar, master, t):
                assert (t, master) in offered
    assert [s.start for s in found] == sorted(s.start for s in found)


def test_gap_start_off_the_grid_is_offered():
    calendar = Calendar(working={"m": [(540, 1080)]}, busy={"m": [(540, 610)]})
    need = Need("svc", ("m",), {"m": 60})
    starts = [s.start for s in find_slots([need], calendar, 540, 1080, STEP, 0, limit=3)]
    assert starts == [610, 615, 630]  # 10:10 right after the booking, then the grid


def test_sequence_uses_another_master_when_the_first_is_busy_later():
    calendar = Calendar(working={"a": [(540, 1080)], "b": [(540, 1080)]},
                        busy={"a": [(600, 660)], "b": [(540, 600)]})
    cut = Need("cut", ("a",), {"a": 60})
    colour = Need("colour", ("a", "b"), {"a": 60, "b": 60})
    slot = find_slots([cut, colour], calendar, 540, 1080, STEP, 0, limit=1)[0]
    assert slot.start == 540
    assert [(p.master_id, p.start, p.end) for p in slot.placements] == [("a", 540, 600), ("b", 600, 660)]
