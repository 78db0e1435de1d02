"""A stand-in ШТРИХ-М fiscal register on a loopback TCP port, for the reference driver's tests.

It speaks the protocol as the register does — ENQ answered with NAK (or
ACK while an answer is pending), frames checked for STX, length and LRC
(a bad one is answered with NAK), the password checked, every answer
framed with the command and an error code — and keeps what a register
keeps: its document counter, an open check, the shift's totals by payment
type for sales and returns, and the receipts it closed.

It can be made to fail: ``fail(command, code)`` answers the next such
command with an error code; ``drop(command)`` closes the connection when
that command arrives (a cable pulled mid-check); ``lose_answer(command)``
carries the command out and then closes the connection without answering
(the receipt is issued, the box never hears so); ``stop()`` refuses
connections. The long status (0x11) carries the current document number in
bytes 9-10 of its data, as the real register's does. Decoding here is its own, not the driver's.
"""
import socket
import threading
from dataclasses import dataclass, field
from decimal import Decimal

from tests.live_server import free_port

STX, ENQ, ACK, NAK = 0x02, 0x05, 0x06, 0x15
E_MODE, E_PASSWORD, E_SUM, E_UNKNOWN = 0x73, 0x4F, 0x45, 0x37  # wrong mode, password, sums, command


def _lrc(data: bytes) -> int:
    value = 0
    for b in data:
        value ^= b
    return value


def _money(raw: bytes) -> Decimal:
    return Decimal(int.from_bytes(raw, "little")).scaleb(-2)


@dataclass
class Check:
    kind: int
    lines: list = field(default_factory=list)  # (name, quantity, price)
    discounts: list = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((q * p).quantize(Decimal("0.01")) for _, q, p in self.lines) - sum(self.discounts, Decimal(0))


@dataclass
class ClosedReceipt:
    number: int
    kind: int
    lines: list
    total: Decimal
    sums: tuple
    change: Decimal


class ShtrihRegister:
    """The register's state and its TCP endpoint."""

    def __init__(self, password: int = 30):
        self.port = free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.password = password
        self.document = 0
        self.shift = 1
        self.check: Check | None = None
        self.receipts: list[ClosedReceipt] = []
        self.totals = {0: [Decimal(0)] * 4, 2: [Decimal(0)] * 4}  # sales and returns by payment type
        self.reports: list[str] = []
        self.bad_frames = 0
        self._fail: dict[int, int] = {}
        self._drop: set[int] = set()
        self._lose: set[int] = set()
        self.commands: list[int] = []  # every command carried out, in order
        self._lock = threading.Lock()
        self._listener = None

    # control -------------------------------------------------------------------------------------

    def start(self) -> "ShtrihRegister":
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(4)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            try:
                listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            listener.close()

    def fail(self, command: int, code: int = E_SUM) -> None:
        """Answer the next ``command`` with error ``code``."""
        self._fail[command] = code

    def drop(self, command: int) -> None:
        """Close the connection when the next ``command`` arrives, without an answer."""
        self._drop.add(command)

    def lose_answer(self, command: int) -> None:
        """Carry out the next ``command``, then close the connection instead of answering."""
        self._lose.add(command)

    # the wire ------------------------------------------------------------------------------------

    def _accept(self, listener) -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _read(self, conn, n):
        data = b""
        while len(data) < n:
            chunk = conn.recv(n - len(data))
            if not chunk:
                raise ConnectionError
            data += chunk
        return data

    def _serve(self, conn) -> None:
        conn.settimeout(10)
        with conn:
            try:
                while True:
                    first = self._read(conn, 1)[0]
                    if first == ENQ:
                        conn.sendall(bytes([NAK]))
                        continue
                    if first != STX:
                        continue
                    length = self._read(conn, 1)[0]
                    rest = self._read(conn, length + 1)
                    if _lrc(bytes([length]) + rest[:-1]) != rest[-1]:
                        self.bad_frames += 1
                        conn.sendall(bytes([NAK]))
                        continue
                    conn.sendall(bytes([ACK]))
                    command, data = rest[0], rest[1:-1]
                    if command in self._drop:
                        self._drop.discard(command)
                        return
                    with self._lock:
                        code, answer = self._handle(command, data)
                        self.commands.append(command)
                    if command in self._lose:
                        self._lose.discard(command)
                        return
                    body = bytes([command, code]) + answer
                    conn.sendall(bytes([STX, len(body)]) + body + bytes([_lrc(bytes([len(body)]) + body)]))
                    self._read(conn, 1)  # the host's ACK
            except (ConnectionError, OSError):
                return

    # the register --------------------------------------------------------------------------------

    def _handle(self, command: int, data: bytes) -> tuple[int, bytes]:
        if len(data) < 4 or int.from_bytes(data[:4], "little") != self.password:
            return E_PASSWORD, b""
        if command in self._fail:
            return self._fail.pop(command), b""
        args = data[4:]
        handler = {0x10: self._short_status, 0x11: self._long_status, 0x8D: self._open, 0x80: self._line,
                   0x82: self._line, 0x86: self._discount, 0x85: self._close, 0x88: self._cancel,
                   0x40: self._x, 0x41: self._z}.get(command)
        return handler(command, args) if handler else (E_UNKNOWN, b"")

    def _mode(self) -> int:
        return 8 if self.check else 2

    def _short_status(self, command, args):
        return 0, bytes([30, 0, 0, self._mode(), 0]) + bytes(10)

    def _long_status(self, command, args):
        return 0, bytes([30]) + bytes(8) + self.document.to_bytes(2, "little") + bytes(2) + bytes(
            [self._mode(), 0]) + bytes(20)

    def _open(self, command, args):
        if self.check or len(args) != 1 or args[0] not in (0, 2):
            return E_MODE, b""
        self.check = Check(args[0])
        return 0, bytes([30])

    def _line(self, command, args):
        expected = 0 if command == 0x80 else 2
        if not self.check or self.check.kind != expected or len(args) != 55:
            return E_MODE, b""
        quantity = Decimal(int.from_bytes(args[0:5], "little")).scaleb(-3)
        name = args[15:55].rstrip(b"\x00").decode("cp1251")
        self.check.lines.append((name, quantity, _money(args[5:10])))
        return 0, bytes([30])

    def _discount(self, command, args):
        if not self.check or len(args) != 49 or _money(args[0:5]) > self.check.total:
            return E_SUM, b""
        self.check.discounts.append(_money(args[0:5]))
        return 0, bytes([30])

    def _close(self, command, args):
        if not self.check or len(args) != 66:
            return E_MODE, b""
        sums = tuple(_money(args[i:i + 5]) for i in range(0, 20, 5))
        total = self.check.total
        non_cash = sum(sums[1:], Decimal(0))
        if sum(sums, Decimal(0)) < total or non_cash > total:
            return E_SUM, b""
        change = sum(sums, Decimal(0)) - total
        paid = (sums[0] - change, *sums[1:])
        for index, value in enumerate(paid):
            self.totals[self.check.kind][index] += value
        self.document += 1
        self.receipts.append(ClosedReceipt(self.document, self.check.kind, list(self.check.lines), total, paid,
                                           change))
        self.check = None
        return 0, bytes([30]) + int(change * 100).to_bytes(5, "little")

    def _cancel(self, command, args):
        if not self.check:
            return E_MODE, b""
        self.check = None
        return 0, bytes([30])

    def _x(self, command, args):
        if self.check:
            return E_MODE, b""
        self.reports.append("X")
        return 0, bytes([30])

    def _z(self, command, args):
        if self.check:
            return E_MODE, b""
        self.reports.append("Z")
        self.totals = {0: [Decimal(0)] * 4, 2: [Decimal(0)] * 4}
        self.shift += 1
        self.document += 1
        return 0, bytes([30])
