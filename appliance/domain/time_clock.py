"""What a tap of a staff card means (ST4): clock in, clock out, or a repeat to ignore.

Pure rules over the last punch and the last tap; the service reads those and
writes the result in one write transaction.

- A tap alternates: after nothing or a clock-out it clocks in, after a
  clock-in it clocks out, so a shift may cross midnight (in 20:00, out 04:00).
- A clock-in older than ``FORGOTTEN_AFTER`` (16 h) is taken as a forgotten
  clock-out: the tap starts a new shift, and the old one stays open, flagged
  on the timesheet for the administrator to correct. No salon shift is that
  long, and a day shift after a night off is at least that far apart.
- A tap within ``REPEAT_WINDOW`` (60 s) of the same person's last counted tap
  is a repeat (the card held on the reader, a second tap to check): ignored.
"""
from datetime import datetime, timedelta

IN, OUT = "in", "out"
KINDS = (IN, OUT)
REPEAT_WINDOW = timedelta(seconds=60)
FORGOTTEN_AFTER = timedelta(hours=16)


def next_kind(last_kind: str | None, last_at: datetime | None, at: datetime,
              forgotten_after: timedelta = FORGOTTEN_AFTER) -> str:
    """The kind of punch a tap at ``at`` makes, given the person's last valid punch (or None)."""
    if last_kind != IN or last_at is None:
        return IN
    if at - last_at >= forgotten_after:
        return IN
    return OUT


def is_repeat(previous_tap_at: datetime | None, at: datetime, window: timedelta = REPEAT_WINDOW) -> bool:
    """True if a tap at ``at`` comes within ``window`` of the previous counted tap, either side.

    Either side: the hardware process stamps taps with its own clock, so a
    tap may arrive stamped a moment before the one already recorded.
    """
    return previous_tap_at is not None and abs(at - previous_tap_at) < window
