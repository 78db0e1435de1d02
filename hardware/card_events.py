"""Taps from what the readers see: a pure state machine over observations, no hardware.

An *observation* maps each reader seen right now to the UID of the card on it, or to None when it
holds no card that could be read. Feeding observations one after another to ``track`` gives the
events: a card that stays on a reader is one tap, however many observations see it; taking it away
is "removed"; presenting it again is a new tap. A reader missing from an observation is gone
(unplugged, or the reader service restarted), and a card that was on it counts as removed.
"""
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

TAP: Literal["tap"] = "tap"
REMOVED: Literal["removed"] = "removed"

Observation = Mapping[str, bytes | None]
"""Reader name → UID of the card on it, or None (no card, or a card that could not be read)."""


@dataclass(frozen=True)
class CardEvent:
    """A card presented to (``tap``) or taken from (``removed``) a reader.

    ``uid`` is the card's raw UID: identifying, so it is kept out of ``repr`` and never logged.
    """

    reader: str
    kind: Literal["tap", "removed"]
    uid: bytes = field(repr=False)


def track(previous: Observation, current: Observation) -> tuple[dict[str, bytes], list[CardEvent]]:
    """The cards now on readers (reader → UID) and the events that lead from ``previous`` to ``current``.

    ``previous`` is what the last call returned (or any earlier observation). Events come reader by
    reader in the order of ``current``, then the readers that disappeared; for one reader a
    "removed" always comes before the "tap" that replaces it (a card swapped between two looks).
    """
    events: list[CardEvent] = []
    cards: dict[str, bytes] = {}
    for reader, uid in current.items():
        before = previous.get(reader)
        if before is not None and before != uid:
            events.append(CardEvent(reader, REMOVED, before))
        if uid is not None:
            if uid != before:
                events.append(CardEvent(reader, TAP, uid))
            cards[reader] = uid
    for reader, before in previous.items():
        if reader not in current and before is not None:
            events.append(CardEvent(reader, REMOVED, before))
    return cards, events


class TapTracker:
    """``track`` with its state kept: ``observe()`` each look at the readers, get the events."""

    def __init__(self) -> None:
        self._cards: dict[str, bytes] = {}

    @property
    def cards(self) -> dict[str, bytes]:
        """Reader → UID of the card resting on it (a copy)."""
        return dict(self._cards)

    def observe(self, observation: Observation) -> list[CardEvent]:
        """The events since the previous observation (a full one: readers left out are gone)."""
        self._cards, events = track(self._cards, observation)
        return events

    def observe_all(self, observations: Iterable[Observation]) -> list[CardEvent]:
        """The events of several observations in a row."""
        return [event for observation in observations for event in self.observe(observation)]
