"""Nearest free time (BK6): where a visit of one or more services fits.

Plain data only. Times are integer seconds (UTC epoch) so that a search over
30 masters and two weeks stays within milliseconds. The service layer loads
schedules and bookings into a ``Calendar`` and converts the slots back.

Rules, shared with the booking engine so that what is offered can be booked:
- a service must lie inside the master's working time;
- the master, the room and the equipment must be free for the service and its
  clean-up buffer after it (the buffer may run past closing time);
- services of one visit follow each other without a gap, possibly with
  different masters; the visit's own items never conflict with each other.
"""
import heapq
from dataclasses import dataclass, field
from itertools import islice

from appliance.domain.intervals import covers, is_free, subtract


@dataclass(frozen=True)
class Need:
    """One service of the visit and who or what can serve it."""

    service_id: str
    masters: tuple  # qualified master ids, in preference order
    durations: dict  # master id -> seconds
    buffer: int = 0
    rooms: tuple | None = None  # None: no room needed; (): needed but none exists
    equipment: tuple | None = None


@dataclass
class Calendar:
    """Working and busy time of every resource over the searched window."""

    working: dict = field(default_factory=dict)  # master -> merged spans
    busy: dict = field(default_factory=dict)  # master -> merged spans
    room_full: dict = field(default_factory=dict)  # room -> spans at capacity
    equipment_busy: dict = field(default_factory=dict)  # equipment -> merged spans


@dataclass(frozen=True)
class Placement:
    """One service of a found slot: who, where, and when."""

    service_id: str
    master_id: str
    room_id: str | None
    equipment_id: str | None
    start: int
    end: int
    busy_until: int


@dataclass(frozen=True)
class Slot:
    """A start time at which the whole visit fits."""

    start: int
    placements: tuple


def find_slots(needs: list[Need], calendar: Calendar, earliest: int, latest: int,
               step: int, grid_origin: int, limit: int) -> list[Slot]:
    """The first ``limit`` slots starting in [earliest, latest), earliest first.

    Candidate starts are the grid (``grid_origin`` + k * ``step``) and the
    moments a master becomes free, so no gap is left unusable. Ties in time
    go to masters in the order the first need lists them.
    """
    if not needs or limit <= 0:
        return []
    streams = [_slots_of(needs, calendar, master, rank, earliest, latest, step, grid_origin)
               for rank, master in enumerate(needs[0].masters)]
    # Each master's slots come in time order; merging the streams lazily stops
    # as soon as the first ``limit`` are known.
    return [slot for _, _, slot in islice(heapq.merge(*streams), limit)]


def _slots_of(needs, calendar, master, rank, earliest, latest, step, grid_origin):
    """(start, rank, slot) for every start where the visit fits beginning with ``master``."""
    for start in _candidate_starts(needs[0], master, calendar, earliest, latest, step, grid_origin):
        placements = _place(needs, 0, start, calendar, master)
        if placements:
            yield start, rank, Slot(start, tuple(placements))


def _candidate_starts(need, master, calendar, earliest, latest, step, grid_origin):
    """Start times where ``master`` alone could begin ``need``, ascending."""
    duration = need.durations.get(master)
    if duration is None:
        return
    busy = calendar.busy.get(master, [])
    for work_start, work_end in calendar.working.get(master, []):
        if work_end <= earliest or work_start >= latest:
            continue
        for gap_start, gap_end in subtract([(work_start, work_end + need.buffer)], busy):
            low = max(gap_start, earliest)
            high = min(work_end - duration, gap_end - duration - need.buffer, latest - 1)
            if low > high:
                continue
            if gap_start >= earliest:
                yield gap_start
            offset = (low - grid_origin) % step
            moment = low if offset == 0 else low + step - offset
            while moment <= high:
                if moment != gap_start or gap_start < earliest:
                    yield moment
                moment += step


def _place(needs, index, start, calendar, forced_master=None):
    """Place needs[index:] back to back from ``start``; a list of placements or None."""
    if index == len(needs):
        return []
    need = needs[index]
    masters = (forced_master,) if forced_master is not None else need.masters
    for master in masters:
        placement = _place_one(need, master, start, calendar)
        if placement is None:
            continue
        rest = _place(needs, index + 1, placement.end, calendar)
        if rest is not None:
            return [placement, *rest]
    return None


def _place_one(need, master, start, calendar):
    """Place one service on ``master`` at ``start`` with a free room and equipment, or None."""
    duration = need.durations.get(master)
    if duration is None:
        return None
    end = start + duration
    busy_until = end + need.buffer
    if not covers(calendar.working.get(master, []), start, end):
        return None
    if not is_free(calendar.busy.get(master, []), start, busy_until):
        return None
    room = _first_free(need.rooms, calendar.room_full, start, busy_until)
    equipment = _first_free(need.equipment, calendar.equipment_busy, start, busy_until)
    if room is False or equipment is False:
        return None
    return Placement(need.service_id, master, room, equipment, start, end, busy_until)


def _first_free(candidates, busy_map, start, end):
    """First candidate free over [start, end); None if none is needed, False if none is free."""
    if candidates is None:
        return None
    for candidate in candidates:
        if is_free(busy_map.get(candidate, []), start, end):
            return candidate
    return False
