"""A virtual contactless card for the vpcd driver (vsmartcard): connecting it presents the card.

vpcd listens on a TCP port per reader slot and the card connects to it. Every message either way is
a 2-byte big-endian length, then the payload. A one-byte payload from vpcd is a control command
(0 power off, 1 power on, 2 reset, 4 send the ATR — only the last one is answered); anything longer
is a command APDU, answered with a response APDU. This card answers the PC/SC contactless GET DATA
(``FF CA 00 00 00``) with its UID and ``90 00``, everything else with ``6D 00`` (instruction not
supported); a card made with ``uid=None`` (a contact card, say) answers GET DATA with ``6A 81``
(function not supported). Closing the connection is what a reader sees as the card taken away.

Debian's own ``vicc`` is broken, and this is all the reader layer needs.
"""
import socket
import struct
import threading
import time

CTRL_OFF, CTRL_ON, CTRL_RESET, CTRL_ATR = 0, 1, 2, 4
GET_UID = bytes.fromhex("FFCA000000")
SW_OK = bytes.fromhex("9000")
SW_INS_NOT_SUPPORTED = bytes.fromhex("6D00")
SW_FUNCTION_NOT_SUPPORTED = bytes.fromhex("6A81")
# The PC/SC part 3 ATR a contactless reader makes up for a MIFARE Classic 1K: what a real
# reader would report for a typical salon key fob.
MIFARE_ATR = bytes.fromhex("3B8F8001804F0CA000000306030001000000006A")


class VirtualCard:
    """One card, presented on a vpcd slot by ``present()`` and taken away by ``remove()``."""

    def __init__(self, port: int, uid: bytes | None, *, host: str = "127.0.0.1", atr: bytes = MIFARE_ATR):
        self.host, self.port, self.atr = host, port, atr
        self.uid = None if uid is None else bytes(uid)
        self.apdus: list[bytes] = []  # every command APDU received, for assertions
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None

    @property
    def connected(self) -> bool:
        """Whether the card is connected to the reader (until ``remove()``, even if vpcd hung up)."""
        return self._sock is not None

    def present(self, timeout: float = 5.0) -> "VirtualCard":
        """Connect to vpcd (retrying while its port is not listening yet, e.g. pcscd is starting)."""
        if self._sock is not None:
            return self
        deadline = time.monotonic() + timeout
        while True:
            try:
                sock = socket.create_connection((self.host, self.port), timeout=1.0)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)
        sock.settimeout(None)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._sock = sock
        self._thread = threading.Thread(target=self._serve, args=(sock,), name=f"vicc:{self.port}", daemon=True)
        self._thread.start()
        return self

    def remove(self) -> None:
        """Close the connection: the reader sees the card taken away."""
        sock, self._sock = self._sock, None
        if sock is None:
            return
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # vpcd already closed its end
        sock.close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def answer(self, command: bytes) -> bytes | None:
        """The reply to one vpcd message (None for the control commands that get none)."""
        if len(command) == 1:
            return self.atr if command[0] == CTRL_ATR else None
        self.apdus.append(command)
        if command == GET_UID:
            return SW_FUNCTION_NOT_SUPPORTED if self.uid is None else self.uid + SW_OK
        return SW_INS_NOT_SUPPORTED

    def _serve(self, sock: socket.socket) -> None:
        try:
            while True:
                header = _read_exactly(sock, 2)
                if header is None:
                    return
                (length,) = struct.unpack(">H", header)
                payload = _read_exactly(sock, length)
                if payload is None:
                    return
                reply = self.answer(payload)
                if reply is not None:
                    sock.sendall(struct.pack(">H", len(reply)) + reply)
        except OSError:
            return  # closed by remove() or by vpcd (pcscd stopped): either way the card is gone

    def __enter__(self) -> "VirtualCard":
        return self.present()

    def __exit__(self, *exc) -> None:
        self.remove()


def _read_exactly(sock: socket.socket, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            return None
        data += chunk
    return data
