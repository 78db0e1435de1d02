"""A network receipt printer for tests, and an ESC/POS decoder to read what it was sent.

``TcpPrinter`` listens on a free loopback port like a printer's port 9100:
it keeps the bytes of every connection, answers the paper-status query
(DLE EOT 4), can be switched off (``stop``: connections are refused), can
lose power in the middle of a job (``fail_after(n)``: the next connection is
reset after n bytes and the printer goes off), and comes back on the same
port (``start``).

``decode(data, profile)`` reads ESC/POS the way a printer does: ESC @ resets
the code page to 0 (PC437), ESC t n selects page n of the profile's table,
text is decoded in the page selected at the time; barcodes (GS k), QR codes
(GS ( k), raster images (GS v 0) and cuts (GS V) are collected.
"""
import socket
import threading
import time
from dataclasses import dataclass, field

from escpos import capabilities

from tests.live_server import free_port

STATUS_QUERY = b"\x10\x04\x04"


class TcpPrinter:
    """A printer endpoint on 127.0.0.1 that captures every connection's bytes."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.connections: list[bytearray] = []
        self.paper = True
        self._fail_after: int | None = None
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._threads: list[threading.Thread] = []

    def start(self) -> "TcpPrinter":
        """Switch on: accept connections on the same port as before."""
        listener = socket.socket()
        try:
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(("127.0.0.1", self.port))
            listener.listen(8)
        except OSError:
            listener.close()
            raise
        self._listener = listener
        thread = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def stop(self) -> None:
        """Switch off: the port refuses connections until ``start``."""
        listener, self._listener = self._listener, None
        if listener is not None:
            try:
                listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
            except OSError:
                pass
            listener.close()

    def fail_after(self, n: int) -> None:
        """The next connection is reset after ``n`` bytes, and the printer goes off."""
        self._fail_after = n

    def close(self) -> None:
        """Stop and wait for the connection threads."""
        self.stop()
        for thread in self._threads:
            thread.join(5)

    @property
    def captured(self) -> list[bytes]:
        """The bytes of every connection so far, in order."""
        with self._lock:
            return [bytes(c) for c in self.connections]

    def jobs(self) -> list[bytes]:
        """Connections that carried a job (they start with ESC @), not status queries."""
        return [c for c in self.captured if c.startswith(b"\x1b@")]

    def wait_for(self, predicate, timeout: float = 15.0) -> bool:
        """Wait until ``predicate(self)`` is true; False at the deadline."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate(self):
                return True
            time.sleep(0.05)
        return predicate(self)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return  # switched off
            buffer = bytearray()
            with self._lock:
                self.connections.append(buffer)
            limit, self._fail_after = self._fail_after, None
            thread = threading.Thread(target=self._serve, args=(conn, buffer, limit), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, conn: socket.socket, buffer: bytearray, limit: int | None) -> None:
        with conn:
            conn.settimeout(10)
            while True:
                try:
                    chunk = conn.recv(65536)
                except OSError:
                    return
                if not chunk:
                    return  # the sender closed its side: the job is complete
                if limit is not None and len(buffer) + len(chunk) >= limit:
                    with self._lock:
                        buffer.extend(chunk[:limit - len(buffer)])
                    self.stop()
                    # A reset, not a close: the sender must see that the job did not get through.
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                    return
                with self._lock:
                    buffer.extend(chunk)
                if STATUS_QUERY in chunk:
                    conn.sendall(bytes([0x12 if self.paper else 0x72]))


@dataclass
class Decoded:
    """What a printer would have printed from some bytes."""

    lines: list[str] = field(default_factory=list)
    barcodes: list[tuple[str, str]] = field(default_factory=list)  # (symbology, data)
    qr_codes: list[str] = field(default_factory=list)
    images: int = 0  # raster images or image fragments
    cuts: int = 0
    resets: int = 0
    code_pages: list[int] = field(default_factory=list)  # every ESC t n, in order

    @property
    def text(self) -> str:
        """Every printed line, right-trimmed, joined by newlines."""
        return "\n".join(line.rstrip() for line in self.lines)


HW_SYMBOLOGIES = {2: "EAN13", 67: "EAN13", 73: "CODE128", 4: "CODE39", 69: "CODE39"}
ONE_BYTE_ARGS = {b"\x1b!", b"\x1bE", b"\x1ba", b"\x1bM", b"\x1b-", b"\x1bJ", b"\x1b{", b"\x1bG", b"\x1dB",
                 b"\x1d!", b"\x1dh", b"\x1dw", b"\x1df", b"\x1dH", b"\x1bc"}


def codec_table(profile: str) -> dict[int, str]:
    """ESC t number → Python codec for a python-escpos profile (pages Python has no codec for are left out)."""
    encodings = capabilities.CAPABILITIES["encodings"]
    table = {}
    for number, name in capabilities.get_profile(profile).profile_data["codePages"].items():
        codec = encodings.get(name, {}).get("python_encode")
        if codec:
            table[int(number)] = codec
    table.setdefault(0, "cp437")
    return table


class _Reader:
    def __init__(self, data: bytes, profile: str):
        self.data, self.pos, self.out = data, 0, Decoded()
        self.table, self.page, self.line = codec_table(profile), 0, ""

    def take(self, n: int) -> bytes:
        chunk = self.data[self.pos:self.pos + n]
        self.pos += n
        return chunk

    def flush(self) -> None:
        self.out.lines.append(self.line)
        self.line = ""

    def text_byte(self, byte: int) -> None:
        self.line += bytes([byte]).decode(self.table.get(self.page, "cp437"), errors="replace")

    def run(self) -> Decoded:
        while self.pos < len(self.data):
            byte = self.data[self.pos]
            if byte in (0x1B, 0x1D, 0x10):
                self.command()
            elif byte == 0x0A:
                self.pos += 1
                self.flush()
            elif byte >= 0x20:
                self.pos += 1
                self.text_byte(byte)
            else:
                self.pos += 1  # CR and other controls print nothing
        if self.line:
            self.flush()
        return self.out

    def command(self) -> None:
        head = self.take(2)
        if head == b"\x1b@":
            self.out.resets += 1
            self.page = 0
        elif head == b"\x1bt":
            self.page = self.take(1)[0]
            self.out.code_pages.append(self.page)
        elif head == b"\x1bd":
            if self.line:
                self.flush()
            for _ in range(max(self.take(1)[0] - 1, 0)):
                self.flush()
        elif head in ONE_BYTE_ARGS:
            self.take(1)
        elif head == b"\x1dV":
            mode = self.take(1)[0]
            if mode in (65, 66):
                self.take(1)
            self.out.cuts += 1
        elif head == b"\x1dk":
            self.barcode()
        elif head == b"\x1d(":
            self.function()
        elif head == b"\x1dv":
            self.take(2)  # "0" and m
            x_low, x_high, y_low, y_high = self.take(4)
            self.take((x_low + 256 * x_high) * (y_low + 256 * y_high))
            self.out.images += 1
        elif head == b"\x10\x04":
            self.take(1)
        # anything else: the two bytes are skipped, as a printer ignores what it does not know

    def barcode(self) -> None:
        kind = self.take(1)[0]
        if kind <= 6:
            end = self.data.index(b"\x00", self.pos)
            code = self.take(end - self.pos).decode("ascii")
            self.take(1)
        else:
            code = self.take(self.take(1)[0]).decode("ascii")
        if code.startswith("{") and len(code) > 1:
            code = code[2:]  # CODE128's code-set prefix ("{B")
        self.out.barcodes.append((HW_SYMBOLOGIES.get(kind, str(kind)), code))

    def function(self) -> None:
        letter = self.take(1)
        low, high = self.take(2)
        body = self.take(low + 256 * high)
        if letter == b"k" and body[:2] == b"1P":
            self.out.qr_codes.append(body[3:].decode("utf-8"))
        elif letter == b"L":
            self.out.images += 1


def decode(data: bytes, profile: str = "default") -> Decoded:
    """Decode ESC/POS ``data`` as a printer with python-escpos ``profile``'s code-page table would."""
    return _Reader(data, profile).run()
