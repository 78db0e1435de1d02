"""The reliable stream of one outbox to one receiver: at-least-once delivery, applied exactly once, in order.

Pure state machines, no I/O: the box agent and the cloud worker drive them
with what they read from their databases and the broker. An entry leaves
the sender's backlog only when the receiver's application-level ack says it
is durably applied (a broker's PUBACK only says the broker has it).
"""
from dataclasses import dataclass, field


@dataclass
class Sender:
    """What to send next from an outbox whose entries are numbered 1, 2, 3... without gaps.

    ``acked`` is the receiver's last ack; ``sent`` the highest seq published
    since. At most ``window`` entries are in flight; if no ack comes for
    ``timeout`` seconds, sending starts again after ``acked``.
    """

    acked: int = 0
    sent: int = 0
    window: int = 2000
    timeout: float = 10.0
    last_progress: float = 0.0
    rewound_to: int = 0  # where the last resend request sent us back to
    backoff: int = 1  # the timeout doubles each time it expires without progress (up to 32x)

    def next_from(self, now: float) -> int | None:
        """The first seq to send now, or None while the window is full."""
        if self.sent > self.acked and now - self.last_progress >= self.timeout * self.backoff:
            # Nothing heard for too long: go back to what is known applied, and wait
            # longer next time, so a slow link is not buried under its own resends.
            self.sent = self.acked
            self.last_progress = now
            self.backoff = min(self.backoff * 2, 32)
        if self.sent - self.acked >= self.window:
            return None
        return self.sent + 1

    def room(self) -> int:
        """How many entries may still be put in flight."""
        return max(0, self.window - (self.sent - self.acked))

    def on_sent(self, last: int, now: float) -> None:
        """A batch up to ``last`` was published."""
        if self.sent == self.acked:
            self.last_progress = now
        self.sent = max(self.sent, last)

    def on_ack(self, upto: int, now: float) -> bool:
        """The receiver applied everything up to ``upto``; True if that is news."""
        if upto <= self.acked:
            return False
        self.acked = upto
        self.sent = max(self.sent, upto)
        self.last_progress = now
        self.backoff = 1
        return True

    def on_resend(self, start: int, upto: int, now: float) -> None:
        """The receiver is missing ``start`` onwards: send again from there.

        Every batch that arrives after a lost one asks for the same resend; the
        stream goes back once per gap, or each of those requests would send the
        whole window again.
        """
        self.on_ack(upto, now)
        if start == self.rewound_to and self.sent >= start:
            return
        self.rewound_to = start
        self.sent = max(self.acked, start - 1)
        self.last_progress = now


@dataclass
class Verdict:
    """What a receiver does with one batch."""

    action: str  # apply, duplicate, gap
    skip: int = 0  # leading changes already applied
    missing_from: int = 0


@dataclass
class Receiver:
    """Accepts batches strictly in order: a batch applies only if it continues ``applied``."""

    applied: int = 0
    gaps: list = field(default_factory=list)

    def judge(self, first: int, last: int) -> Verdict:
        """Apply (skipping what was already applied), ignore a duplicate, or report a gap."""
        if last <= self.applied:
            return Verdict("duplicate")
        if first > self.applied + 1:
            self.gaps.append((self.applied + 1, first - 1))
            return Verdict("gap", missing_from=self.applied + 1)
        return Verdict("apply", skip=self.applied + 1 - first)
