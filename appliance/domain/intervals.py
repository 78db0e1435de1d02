"""Half-open interval arithmetic on sorted lists of (start, end) pairs.

The values are any ordered type; availability uses integer seconds for speed.
"""
from bisect import bisect_left


def merge(intervals):
    """Sort and merge overlapping or touching intervals; empty ones are dropped."""
    result = []
    for start, end in sorted(i for i in intervals if i[0] < i[1]):
        if result and start <= result[-1][1]:
            if end > result[-1][1]:
                result[-1] = (result[-1][0], end)
        else:
            result.append((start, end))
    return result


def subtract(base, cuts):
    """Parts of merged ``base`` not covered by merged ``cuts``."""
    result = []
    cuts = merge(cuts)
    for start, end in merge(base):
        cursor = start
        for cut_start, cut_end in cuts:
            if cut_end <= cursor or cut_start >= end:
                continue
            if cut_start > cursor:
                result.append((cursor, cut_start))
            cursor = max(cursor, cut_end)
            if cursor >= end:
                break
        if cursor < end:
            result.append((cursor, end))
    return result


def overlaps(a_start, a_end, b_start, b_end) -> bool:
    """True if half-open [a_start, a_end) and [b_start, b_end) share any moment."""
    return a_start < b_end and b_start < a_end


def is_free(busy, start, end) -> bool:
    """True if [start, end) touches no interval of the merged, sorted ``busy`` list."""
    index = bisect_left(busy, (start,))
    if index > 0 and busy[index - 1][1] > start:
        return False
    return index >= len(busy) or busy[index][0] >= end


def covers(spans, start, end) -> bool:
    """True if one interval of merged, sorted ``spans`` contains [start, end)."""
    index = bisect_left(spans, (start, float("inf")))
    return index > 0 and spans[index - 1][0] <= start and spans[index - 1][1] >= end


def saturated(intervals, capacity: int):
    """Merged periods during which at least ``capacity`` of ``intervals`` run at once."""
    events = []
    for start, end in intervals:
        if start < end:
            events.append((start, 1))
            events.append((end, -1))
    events.sort(key=lambda e: (e[0], e[1]))
    result, level, opened = [], 0, None
    for moment, delta in events:
        level += delta
        if level >= capacity and opened is None:
            opened = moment
        elif level < capacity and opened is not None:
            if moment > opened:
                result.append((opened, moment))
            opened = None
    return merge(result)
