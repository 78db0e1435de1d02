"""The tap state machine: examples, then properties over any sequence of observations."""
from hypothesis import given
from hypothesis import strategies as st

from hardware.card_events import REMOVED, TAP, CardEvent, TapTracker, track

A, B = b"\x04\xaa\xbb\xcc", b"\x04\x11\x22\x33"


def test_a_card_resting_on_a_reader_is_one_tap():
    tracker = TapTracker()
    assert tracker.observe({"desk": A}) == [CardEvent("desk", TAP, A)]
    for _ in range(5):
        assert tracker.observe({"desk": A}) == []
    assert tracker.cards == {"desk": A}


def test_taking_it_away_is_a_removal_and_bringing_it_back_a_new_tap():
    tracker = TapTracker()
    events = tracker.observe_all([{"desk": A}, {"desk": None}, {"desk": None}, {"desk": A}])
    assert events == [CardEvent("desk", TAP, A), CardEvent("desk", REMOVED, A), CardEvent("desk", TAP, A)]


def test_a_swap_between_two_looks_is_the_removal_then_the_tap():
    assert track({"desk": A}, {"desk": B}) == ({"desk": B}, [CardEvent("desk", REMOVED, A),
                                                             CardEvent("desk", TAP, B)])


def test_a_reader_that_disappears_takes_its_card_with_it():
    assert track({"desk": A, "door": B}, {"door": B}) == ({"door": B}, [CardEvent("desk", REMOVED, A)])


def test_readers_are_independent():
    tracker = TapTracker()
    tracker.observe({"desk": A, "door": None})
    assert tracker.observe({"desk": A, "door": A}) == [CardEvent("door", TAP, A)]


def test_the_uid_stays_out_of_the_events_repr():
    assert repr(CardEvent("desk", TAP, A)) == "CardEvent(reader='desk', kind='tap')"


READERS = st.sampled_from(["desk", "door", "spa"])
UIDS = st.sampled_from([A, B, b"\x08\x01\x02\x03"])
OBSERVATIONS = st.lists(st.dictionaries(READERS, st.none() | UIDS, max_size=3), max_size=30)


@given(OBSERVATIONS)
def test_each_arrival_of_a_card_is_exactly_one_tap(observations):
    events = TapTracker().observe_all(observations)
    for reader in ("desk", "door", "spa"):
        seen = [observation.get(reader) for observation in observations]
        arrivals = [uid for before, uid in zip([None, *seen], seen) if uid is not None and uid != before]
        assert [e.uid for e in events if e.reader == reader and e.kind == TAP] == arrivals


@given(OBSERVATIONS)
def test_taps_and_removals_alternate_and_a_removal_names_the_card_tapped(observations):
    events = TapTracker().observe_all(observations)
    for reader in ("desk", "door", "spa"):
        mine = [e for e in events if e.reader == reader]
        assert [e.kind for e in mine] == [TAP, REMOVED] * (len(mine) // 2) + [TAP] * (len(mine) % 2)
        for tap, removal in zip(mine[::2], mine[1::2]):
            assert removal.uid == tap.uid


@given(OBSERVATIONS, st.integers(min_value=1, max_value=5))
def test_looking_again_at_the_same_readers_changes_nothing(observations, repeats):
    tracker = TapTracker()
    tracker.observe_all(observations)
    cards = tracker.cards
    last = observations[-1] if observations else {}
    assert cards == {reader: uid for reader, uid in last.items() if uid is not None}
    for _ in range(repeats):
        assert tracker.observe(last) == []
    assert tracker.cards == cards


@given(OBSERVATIONS)
def test_the_cards_on_the_readers_are_the_taps_not_yet_removed(observations):
    tracker = TapTracker()
    on_readers: dict[str, bytes] = {}
    for observation in observations:
        for event in tracker.observe(observation):
            if event.kind == TAP:
                assert event.reader not in on_readers
                on_readers[event.reader] = event.uid
            else:
                assert on_readers.pop(event.reader) == event.uid
        assert tracker.cards == on_readers
