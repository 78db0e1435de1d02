"""The box's hardware service: card readers and printers in one process (KI2, KI3, KI5).

It sits on the outside of the box like the sync agent: the card reader
listener (``hardware.tap_listener``) hands each tap to the time clock
(``handle_tap``) with the UID hashed at once, and reports which readers it
sees to the Devices page; the print worker sends the persistent print queue
to the printers. Nothing here starts at import: ``HardwareService.start()``.
"""
import logging
import threading

from appliance.domain.card_ids import card_uid_hash
from appliance.print_worker import PrintWorker
from appliance.services import device_states, time_clock
from appliance.storage.database import database
from hardware.tap_listener import TapListener

log = logging.getLogger(__name__)
READER = "reader"


class ReaderBridge:
    """The listener's two callbacks: taps to the time clock, reader states to the Devices page."""

    def __init__(self, card_key: bytes):
        self._key = card_key
        self._known: set[str] = set()
        self._lock = threading.Lock()

    def on_tap(self, reader: str, uid: bytes) -> None:
        """Hash the UID (the clear one goes no further) and let the time clock decide."""
        uid_hash = card_uid_hash(uid, self._key)
        database.connect(reuse_if_open=True)
        outcome = time_clock.handle_tap(reader, uid_hash)
        log.info("card tap at %s: %s", reader, outcome.outcome)

    def on_readers(self, names: list[str], state: str) -> None:
        """Record every reader seen as connected, and the ones that went away as gone."""
        database.connect(reuse_if_open=True)
        with self._lock:
            for name in names:
                device_states.report(READER, name, "ready")
            for name in self._known - set(names):
                device_states.report(READER, name, "gone", state)
            self._known |= set(names)


class HardwareService:
    """The reader listener and the print worker, started and stopped together."""

    def __init__(self, card_key: bytes, readers=None, printer_connector=None, poll_interval: float = 1.0):
        self.bridge = ReaderBridge(card_key)
        self.listener = TapListener(self.bridge.on_tap, self.bridge.on_readers, readers=readers,
                                    poll_interval=poll_interval)
        self.printers = PrintWorker(**({"connector": printer_connector} if printer_connector else {}))

    def start(self) -> "HardwareService":
        """Start listening to the readers and printing the queue."""
        self.printers.start()
        self.listener.start()
        return self

    def stop(self) -> None:
        """Stop both; a job being printed is finished first."""
        self.listener.stop()
        self.printers.stop()
