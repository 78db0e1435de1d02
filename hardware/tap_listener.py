"""Card taps delivered to a callback from a thread of their own, for as long as the box runs.

The loop never dies of the readers: when the service cannot be reached (pcscd not running yet,
restarting, a reader unplugged) it reports that, waits a little longer each time (up to
``max_backoff``), and tries again with a fresh connection. The thread is started by ``start()``
only, never at import. UIDs go to ``on_tap`` as raw bytes and nowhere else: logs name the reader.
"""
import logging
import threading
import traceback
from collections.abc import Callable

from hardware.card_events import TAP, CardEvent
from hardware.card_reader import NO_READERS, READY, UNAVAILABLE, CardReaders, CardReadersUnavailable

log = logging.getLogger(__name__)

OnTap = Callable[[str, bytes], None]
OnReaders = Callable[[list[str], str], None]


class TapListener:
    """Watches ``readers`` and calls ``on_tap(reader, uid)`` once per card presented.

    ``on_readers(names, state)`` is called whenever the set of readers or their state
    (``READY``, ``NO_READERS``, ``UNAVAILABLE`` of ``hardware.card_reader``) changes, first as soon
    as the loop has looked. Both callbacks run on the listener's thread; an exception in one is
    logged and the loop goes on.
    """

    def __init__(self, on_tap: OnTap, on_readers: OnReaders | None = None, *,
                 readers: CardReaders | None = None, poll_interval: float = 1.0,
                 min_backoff: float = 0.1, max_backoff: float = 5.0):
        """``readers`` defaults to every PC/SC reader of pcscd. ``poll_interval`` bounds one wait for
        a change, hence how soon ``stop()`` returns and a new reader is noticed."""
        if readers is None:
            from hardware.pcsc_reader import PcscCardReaders  # pyscard only for the real readers

            readers = PcscCardReaders()
        self._readers = readers
        self._on_tap = on_tap
        self._on_readers = on_readers
        self._poll = poll_interval
        self._min_backoff, self._max_backoff = min_backoff, max_backoff
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._reported: tuple[tuple[str, ...], str] | None = None

    @property
    def running(self) -> bool:
        """Whether the listener's thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> "TapListener":
        """Start the thread (a second call while it runs does nothing)."""
        if self.running:
            return self
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="tap-listener", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float | None = None) -> None:
        """Stop the thread and release the readers; waits for it (by default a poll interval and a bit)."""
        self._stopping.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(self._poll + self._max_backoff + 1.0 if timeout is None else timeout)
            if thread.is_alive():
                log.error("tap listener did not stop within the timeout")

    # -- the loop --------------------------------------------------------------------------------

    def _run(self) -> None:
        backoff = self._min_backoff
        try:
            while not self._stopping.is_set():
                try:
                    names = self._readers.readers()
                    self._report(names, READY if names else NO_READERS)
                    event = self._readers.next_event(self._poll)
                except CardReadersUnavailable as error:
                    self._report([], UNAVAILABLE, str(error))
                except Exception:  # a bug below us must not end the taps of the day
                    log.exception("card reader loop failed; retrying")
                else:
                    backoff = self._min_backoff
                    if event is not None:
                        self._deliver(event)
                    continue
                self._stopping.wait(backoff)
                backoff = min(backoff * 2, self._max_backoff)
        finally:
            self._readers.close()

    def _deliver(self, event: CardEvent) -> None:
        if event.kind != TAP:
            log.debug("card removed from %s", event.reader)
            return
        try:
            self._on_tap(event.reader, event.uid)
        except Exception as error:
            # The message could quote the UID: only the type and where it was raised are logged.
            log.error("on_tap failed for a card on %s: %s\n%s", event.reader, type(error).__name__,
                      "".join(traceback.format_tb(error.__traceback__)).rstrip())

    def _report(self, names: list[str], state: str, why: str = "") -> None:
        current = (tuple(names), state)
        if current == self._reported:
            return
        self._reported = current
        if state == UNAVAILABLE:
            log.warning("card readers unavailable: %s", why)
        else:
            log.info("card readers %s: %s", state, ", ".join(names) or "none")
        if self._on_readers is not None:
            try:
                self._on_readers(list(names), state)
            except Exception:
                log.exception("on_readers failed")
