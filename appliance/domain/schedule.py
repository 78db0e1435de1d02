"""Work schedules: weekly templates, shift cycles (2/2), single-day changes, absences.

Plain data in, wall-clock intervals out; time zones are applied by the caller.
"""
from dataclasses import dataclass, field
from datetime import date, time

WEEKLY = "weekly"
CYCLE = "cycle"


@dataclass(frozen=True)
class WorkPattern:
    """A repeating template of working intervals.

    ``days`` holds one entry per weekday (Monday first) for ``weekly``, or one
    per day of the cycle for ``cycle`` (2/2 is four entries: two working, two
    off), counted from ``anchor``. Each entry is a list of (start, end)
    wall-clock times; several intervals leave a break between them.
    """

    kind: str
    days: tuple
    valid_from: date
    valid_until: date | None = None
    anchor: date | None = None

    def covers(self, day: date) -> bool:
        """True if the pattern is in force on ``day``."""
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def intervals_on(self, day: date) -> list[tuple[time, time]]:
        """Wall-clock working intervals the pattern gives on ``day``."""
        if self.kind == WEEKLY:
            return list(self.days[day.weekday()])
        anchor = self.anchor or self.valid_from
        return list(self.days[(day - anchor).days % len(self.days)])


@dataclass(frozen=True)
class Absence:
    """Whole days away (vacation, sick leave, absence without leave)."""

    date_from: date
    date_to: date
    reason: str

    def covers(self, day: date) -> bool:
        """True if ``day`` lies in the absence."""
        return self.date_from <= day <= self.date_to


@dataclass
class StaffSchedule:
    """Everything that decides when one master works."""

    patterns: list[WorkPattern] = field(default_factory=list)
    day_changes: dict = field(default_factory=dict)  # date -> list of (start, end); [] = day off
    absences: list[Absence] = field(default_factory=list)

    def intervals_on(self, day: date) -> list[tuple[time, time]]:
        """Wall-clock working intervals on ``day`` after every rule is applied.

        Absences win over everything; a single-day change replaces the
        template; of several templates the one that started last is in force.
        """
        if any(a.covers(day) for a in self.absences):
            return []
        if day in self.day_changes:
            return sorted(self.day_changes[day])
        in_force = [p for p in self.patterns if p.covers(day)]
        if not in_force:
            return []
        # Of templates starting the same day, the one listed later (created later) wins.
        latest = max(enumerate(in_force), key=lambda pair: (pair[1].valid_from, pair[0]))[1]
        return sorted(latest.intervals_on(day))


def parse_interval(text_pair) -> tuple[time, time]:
    """Turn ["09:00", "18:00"] into a pair of times; raises ValueError naming the problem."""
    if not isinstance(text_pair, (list, tuple)) or len(text_pair) != 2:
        raise ValueError("an interval is a pair [start, end] like [\"09:00\", \"18:00\"]")
    start, end = (time.fromisoformat(t) for t in text_pair)
    if end != time(0) and end <= start:
        raise ValueError(f"interval {text_pair[0]}-{text_pair[1]} ends before it starts")
    return start, end


def check_day(intervals) -> list[tuple[time, time]]:
    """Validate one day's intervals: well-formed and not overlapping each other."""
    parsed = sorted(parse_interval(pair) for pair in intervals)
    for (_, end), (start, _) in zip(parsed, parsed[1:]):
        if end == time(0) or start < end:
            raise ValueError("intervals of one day overlap")
    return parsed
