"""A private pcscd for the tests, with vsmartcard's vpcd driver as its reader.

pcsc-lite 1.9.9's pcscd has no option for its socket: it always serves ``/run/pcscd/pcscd.comm``
and writes ``/run/pcscd/pcscd.pid`` (only the client library, libpcsclite, honours
``PCSCLITE_CSOCK_NAME``). So the daemon runs in a mount namespace of its own (``unshare``) where a
folder of ours is bind-mounted on ``/run`` and an empty one on ``/usr/lib/pcsc/drivers``: its
socket and pid file land in our folder, and it loads no USB driver, so it cannot take a real
reader from the system's pcscd. Nothing of a system pcscd is touched, running or not.

The reader is one vpcd entry of a ``reader.conf`` of ours (``-c``), on a free port: vpcd makes two
slots of it, ``<name> 00 00`` listening on that port and ``<name> 00 01`` on the next one, each
waiting for a virtual card (``tests.infra.virtual_card``) to connect. One entry only: the vpcd
driver keeps its slots in a table shared by all its readers, so a second entry would overwrite the
first. libpcsclite reads ``PCSCLITE_CSOCK_NAME`` once, at the first context of the process, which
is why ``tests.infra.pcsc_fixtures`` sets it when pytest starts and every daemon of the session
uses the same folder, one at a time.
"""
import atexit
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

PCSCD = "/usr/sbin/pcscd"
VPCD_DRIVER = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so"
DRIVER_DIR = "/usr/lib/pcsc/drivers"
SOCKET_ENV = "PCSCLITE_CSOCK_NAME"
_READY = "daemon ready."
_PORT_TAKEN = "Could not initialize connection to virtual ICC"  # vpcd's complaint when it cannot listen
# Variables that would make pcscd think systemd started it (socket activation, readiness).
_SYSTEMD_ENV = ("LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "NOTIFY_SOCKET")


class PcscdError(RuntimeError):
    """The private pcscd would not start or stop; the message ends with the tail of its log."""


def socket_path(base: Path) -> Path:
    """Where a private pcscd living in ``base`` serves its clients (the value for ``PCSCLITE_CSOCK_NAME``)."""
    return base / "run" / "pcscd" / "pcscd.comm"


def free_port_pair() -> int:
    """A port P such that P and P + 1 are both free on every address (vpcd listens on 0.0.0.0)."""
    for _ in range(100):
        with socket.socket() as first:
            first.bind(("", 0))
            port = first.getsockname()[1]
            if port >= 65535:
                continue
            with socket.socket() as second:
                try:
                    second.bind(("", port + 1))
                except OSError:
                    continue
                return port
    raise PcscdError("no two consecutive free TCP ports")


class PrivatePcscd:
    """One private pcscd with a two-slot virtual reader: ``start()``, ``stop()``, ``restart()``.

    Its ports are chosen once, so a restarted daemon serves the same readers on the same ports.
    """

    def __init__(self, base: Path, name: str = "Virtual PCD", *, reader: bool = True):
        """``reader=False``: a daemon with no reader at all (an empty ``reader.conf``)."""
        self.base = Path(base)
        self.name = name
        self.reader = reader
        self.port = free_port_pair()
        self._process: subprocess.Popen | None = None
        self._log = None
        self._started = False  # once started, the ports are the readers' identity: restarts keep them

    @property
    def ports(self) -> list[int]:
        """The TCP ports of the two slots, in the order of ``reader_names``."""
        return [self.port, self.port + 1]

    @property
    def reader_names(self) -> list[str]:
        """The PC/SC names of the two slots (none without a reader)."""
        return [f"{self.name} 00 00", f"{self.name} 00 01"] if self.reader else []

    @property
    def socket_path(self) -> Path:
        """The daemon's client socket."""
        return socket_path(self.base)

    @property
    def log_path(self) -> Path:
        """pcscd's own log (``--foreground`` writes it to stdout)."""
        return self.base / "pcscd.log"

    @property
    def running(self) -> bool:
        """Whether the daemon process is alive."""
        return self._process is not None and self._process.poll() is None

    def start(self, timeout: float = 10.0) -> "PrivatePcscd":
        """Start the daemon; return once it says it is ready with its readers listening.

        The first start moves to other ports if someone took the chosen ones in the meantime
        (vpcd then drops the reader but pcscd starts all the same); a restart keeps its ports.
        """
        if self.running:
            return self
        first = not self._started
        for attempt in range(3 if first else 1):
            if attempt:
                self.port = free_port_pair()
            problem = self._launch(timeout)
            if problem is None:
                self._started = True
                return self
            self.stop(kill=True)
            if problem != "port taken":
                break
        raise PcscdError(f"pcscd did not start ({problem}){self.log_tail()}")

    def stop(self, kill: bool = False) -> None:
        """Stop the daemon: SIGTERM as a service manager would (pcscd takes a second or two), or
        SIGKILL with ``kill`` (a crash; the files it leaves are cleared before the next start)."""
        atexit.unregister(self.stop)
        if self.running:
            self._process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None

    def restart(self) -> None:
        """Stop (SIGTERM) and start again: same socket, same readers, same ports."""
        self.stop()
        self.start()

    def log_tail(self, lines: int = 30) -> str:
        """The last ``lines`` lines of pcscd's log."""
        tail = "\n".join(self._log_text().splitlines()[-lines:])
        return f"\n--- pcscd.log (tail) ---\n{tail}"

    # -- internals -------------------------------------------------------------------------------

    def _launch(self, timeout: float) -> str | None:
        self._prepare()
        offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        self._log = open(self.log_path, "ab")
        env = {key: value for key, value in os.environ.items() if key not in _SYSTEMD_ENV}
        self._process = subprocess.Popen(self._command(), env=env, stdin=subprocess.DEVNULL,
                                         stdout=self._log, stderr=subprocess.STDOUT)
        atexit.register(self.stop, kill=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                return "exited"
            text = self._log_text(offset)
            if _READY in text and self.socket_path.exists():
                return "port taken" if _PORT_TAKEN in text else None
            time.sleep(0.01)
        return "timeout"

    def _prepare(self) -> None:
        for folder in ("run", "drivers", "empty"):
            (self.base / folder).mkdir(parents=True, exist_ok=True)
        # A SIGKILLed daemon leaves its socket and pid file; the next one would take the pid file
        # for a live daemon if the pid were reused.
        shutil.rmtree(self.base / "run" / "pcscd", ignore_errors=True)
        driver = self.base / "drivers" / "libifdvpcd.so"
        if not driver.exists():
            if not Path(VPCD_DRIVER).exists():
                raise PcscdError(f"{VPCD_DRIVER} is missing: install Debian's vsmartcard-vpcd")
            shutil.copyfile(VPCD_DRIVER, driver)
        entry = (f'FRIENDLYNAME "{self.name}"\n'
                 f"DEVICENAME   /dev/null:0x{self.port:04X}\n"
                 f"LIBPATH      {driver}\n"
                 f"CHANNELID    0x{self.port:04X}\n")
        (self.base / "reader.conf").write_text(entry if self.reader else "")

    def _command(self) -> list[str]:
        if not Path(PCSCD).exists():
            raise PcscdError(f"{PCSCD} is missing: install Debian's pcscd")
        script = 'mount --bind "$1" /run && '
        if Path(DRIVER_DIR).is_dir():
            script += f'mount --bind "$2" {DRIVER_DIR} && '
        script += 'exec "$3" --foreground --info -c "$4"'
        # Without root, a user namespace gives the mount namespace (where the kernel allows it).
        userns = [] if os.geteuid() == 0 else ["--map-root-user"]
        return ["unshare", "--mount", "--propagation", "private", *userns, "sh", "-c", script, "sh",
                str(self.base / "run"), str(self.base / "empty"), PCSCD, str(self.base / "reader.conf")]

    def _log_text(self, offset: int = 0) -> str:
        try:
            with open(self.log_path, "rb") as log:
                log.seek(offset)
                return log.read().decode(errors="replace")
        except OSError:
            return ""
