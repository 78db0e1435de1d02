"""What the card reader tests share: a recorder for the listener's callbacks and a listener factory."""
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from hardware.tap_listener import TapListener

POLL = 0.1  # short waits keep the tests fast; production uses a second


class Recorder:
    """The callbacks of a ``TapListener``, kept in order, with waits for what a test expects."""

    def __init__(self) -> None:
        self.taps: list[tuple[str, bytes]] = []
        self.reports: list[tuple[list[str], str]] = []
        self._changed = threading.Condition()

    def on_tap(self, reader: str, uid: bytes) -> None:
        with self._changed:
            self.taps.append((reader, uid))
            self._changed.notify_all()

    def on_readers(self, names: list[str], state: str) -> None:
        with self._changed:
            self.reports.append((names, state))
            self._changed.notify_all()

    def wait_taps(self, count: int, timeout: float = 5.0) -> list[tuple[str, bytes]]:
        """The taps once there are at least ``count`` of them; fails after ``timeout`` seconds."""
        self._wait(lambda: len(self.taps) >= count, timeout, f"{count} taps")
        return list(self.taps)

    def wait_state(self, state: str, timeout: float = 5.0, after: int = 0) -> list[str]:
        """The reader names of the first report of ``state`` from report number ``after`` on."""
        def seen():
            return any(s == state for _, s in self.reports[after:])
        self._wait(seen, timeout, f"readers {state!r}")
        return next(names for names, s in self.reports[after:] if s == state)

    def _wait(self, done: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not done():
                left = deadline - time.monotonic()
                if left <= 0:
                    pytest.fail(f"no {what} within {timeout} s: taps {self.taps}, reports {self.reports}")
                self._changed.wait(left)


@pytest.fixture
def recorder() -> Recorder:
    """A fresh callback recorder."""
    return Recorder()


@pytest.fixture
def listen(recorder: Recorder) -> Iterator[Callable[..., TapListener]]:
    """``listen(**options) -> TapListener``: a started listener on pcscd reporting to ``recorder``;
    stopped at the end."""
    listeners: list[TapListener] = []

    def start(**options) -> TapListener:
        options = {"poll_interval": POLL, "min_backoff": 0.05, "max_backoff": 0.2, **options}
        listener = TapListener(recorder.on_tap, recorder.on_readers, **options)
        listeners.append(listener)
        return listener.start()

    try:
        yield start
    finally:
        for listener in listeners:
            listener.stop()
