"""The card readers as the rest of the box sees them: three methods and two errors.

``CardReaders`` is what a tap listener needs from any reader stack; the PC/SC one is
``hardware.pcsc_reader.PcscCardReaders``. Everything the stack can fail with is translated at its
boundary into ``CardReadersUnavailable`` (the service or its readers cannot be reached right now:
retry later) or ``CardReadError`` (one card on a reader could not be read).
"""
from typing import Protocol

from hardware.card_events import CardEvent

# What ``TapListener`` reports with the reader names, for the device status page.
READY = "ready"  # the service answers and at least one reader is connected
NO_READERS = "no_readers"  # the service answers but no reader is connected
UNAVAILABLE = "unavailable"  # the service cannot be reached (pcscd not running or restarting)


class CardReaderError(Exception):
    """Base of the reader layer's own errors."""


class CardReadersUnavailable(CardReaderError):
    """The reader service cannot be reached now (not running, restarting); retrying later may work."""


class CardReadError(CardReaderError):
    """A card is on a reader but its UID could not be read (taken away mid-read, not a contactless
    card, or the reader refused the command)."""


class CardReaders(Protocol):
    """All the card readers of the box, watched from one thread."""

    def readers(self) -> list[str]:
        """The names of the readers connected now; raises ``CardReadersUnavailable``."""
        ...

    def next_event(self, timeout: float) -> CardEvent | None:
        """The next tap or removal on any reader, waiting at most ``timeout`` seconds (None if none).

        Raises ``CardReadersUnavailable``; a later call starts over by itself.
        """
        ...

    def close(self) -> None:
        """Let go of the service; a later call reconnects."""
        ...
