"""The print worker (KI3): takes jobs from the persistent queue and sends them to the printers.

One thread per active printer, started and stopped with the worker (nothing
runs at import). Each loop claims its printer's next job, renders it for
the printer's profile and sends it; a failed send leaves the job waiting
(``failed-retrying``) and the loop asks the printer for its state every
``probe_s`` until it answers, then sends again at once.

The crash window: the claim is committed before the first byte goes out,
and ``mark_done`` is committed right after the connection reports the last
byte taken. A worker killed between the two leaves the job ``printing``;
the next worker marks it ``interrupted`` instead of sending it again (see
``appliance.services.print_queue``). A torn earlier attempt cannot spoil
the next one: every job starts with ESC @.

Run it as ``python -m appliance.print_worker`` (systemd: salon-box-print.service).
"""
import logging
import signal
import threading
import time

from appliance.domain.print_document import Document, DocumentError
from appliance.services import device_states, print_queue
from appliance.storage.database import database
from appliance.storage.models.printing import Printer
from hardware.printing.connections import PrinterState, PrinterUnavailable, connect
from hardware.printing.escpos_render import render
from hardware.printing.profiles import PrinterConfigError, load_profile

log = logging.getLogger(__name__)


def render_job(printer: Printer, document: dict) -> bytes:
    """The bytes of a stored document for ``printer``; DocumentError or PrinterConfigError if impossible."""
    profile = load_profile(printer.profile, printer.paper_width_mm, printer.code_page)
    return render(Document.from_json(document), profile)


class PrinterLoop:
    """Sends one printer's jobs, in order, for as long as the printer is active."""

    def __init__(self, printer_id: str, stopping: threading.Event, poll_s: float, probe_s: float,
                 status_every_s: float, connector=connect):
        self.printer_id, self.stopping = printer_id, stopping
        self.poll_s, self.probe_s, self.status_every_s = poll_s, probe_s, status_every_s
        self.connector = connector
        self.last_probe = 0.0
        self.thread = threading.Thread(target=self.run, name=f"print-{printer_id[:8]}", daemon=True)

    def run(self) -> None:
        """Loop until the worker stops or the printer is made inactive."""
        database.connect(reuse_if_open=True)
        try:
            while not self.stopping.is_set():
                printer = Printer.get_or_none(Printer.id == self.printer_id)
                if printer is None or not printer.active:
                    return
                if not self.step(printer):
                    self.stopping.wait(self.poll_s)
        except Exception:  # the loop must not die silently: the supervisor starts it again
            log.exception("print loop for %s failed", self.printer_id)
        finally:
            database.close()

    def step(self, printer: Printer) -> bool:
        """Print one job if one is due; True if a job was handled."""
        job = print_queue.claim_next(printer)
        if job is None:
            self._probe_if_due(printer)
            return False
        try:
            data = render_job(printer, job.document)
            self.connector(printer.connection, printer.address).send(data)
        except (PrinterUnavailable, DocumentError, PrinterConfigError, ValueError) as exc:
            print_queue.mark_failed(job, str(exc))
            self._report(printer, PrinterState("offline" if isinstance(exc, PrinterUnavailable) else "error",
                                               str(exc)))
            self.last_probe = time.monotonic()
            return True
        print_queue.mark_done(job)
        self._report(printer, PrinterState("online"))
        return True

    def _probe_if_due(self, printer: Printer) -> None:
        waiting = print_queue.has_failed(printer)
        every = self.probe_s if waiting else self.status_every_s
        if time.monotonic() - self.last_probe < every:
            return
        self.last_probe = time.monotonic()
        try:
            state = self.connector(printer.connection, printer.address).status()
        except ValueError as exc:  # an address that cannot be parsed
            state = PrinterState("error", str(exc))
        self._report(printer, state)
        if waiting and state.state in ("online", "unknown", "paper_low"):
            print_queue.retry_now(printer)

    @staticmethod
    def _report(printer: Printer, state: PrinterState) -> None:
        device_states.report("printer", printer.id, state.state, state.detail)


class PrintWorker:
    """Every active printer's loop, kept running by a supervisor thread."""

    def __init__(self, poll_s: float = 0.5, probe_s: float = 1.0, status_every_s: float = 30.0,
                 connector=connect):
        self.poll_s, self.probe_s, self.status_every_s = poll_s, probe_s, status_every_s
        self.connector = connector
        self.stopping = threading.Event()
        self.loops: dict[str, PrinterLoop] = {}
        self.supervisor: threading.Thread | None = None

    def start(self) -> "PrintWorker":
        """Mark jobs a dead worker left ``printing`` as interrupted, then start the loops."""
        if self.supervisor is not None:
            raise RuntimeError("the print worker is running already")
        database.connect(reuse_if_open=True)
        print_queue.recover_interrupted()
        self.stopping.clear()
        self.supervisor = threading.Thread(target=self._supervise, name="print-supervisor", daemon=True)
        self.supervisor.start()
        return self

    def stop(self, timeout: float = 15.0) -> None:
        """Stop every loop; a job being sent is finished (or fails) first."""
        self.stopping.set()
        if self.supervisor is not None:
            self.supervisor.join(timeout)
        for loop in self.loops.values():
            loop.thread.join(timeout)
        self.loops.clear()
        self.supervisor = None

    def _supervise(self) -> None:
        database.connect(reuse_if_open=True)
        try:
            while not self.stopping.is_set():
                active = [p.id for p in Printer.select(Printer.id).where(Printer.active == True)]  # noqa: E712
                for printer_id in active:
                    loop = self.loops.get(printer_id)
                    if loop is None or not loop.thread.is_alive():
                        loop = PrinterLoop(printer_id, self.stopping, self.poll_s, self.probe_s,
                                           self.status_every_s, self.connector)
                        self.loops[printer_id] = loop
                        loop.thread.start()
                self.stopping.wait(self.poll_s * 4)
        finally:
            database.close()


def main() -> None:
    """Run the worker until SIGTERM or SIGINT, on the box's configured database."""
    from appliance.config import load_config
    from appliance.storage.database import open_database

    settings = load_config(None)
    logging.basicConfig(level=settings["LOG_LEVEL"])
    open_database(settings["DATABASE"])
    worker = PrintWorker().start()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    done.wait()
    worker.stop()


if __name__ == "__main__":
    main()
