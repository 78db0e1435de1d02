"""The reference fiscal driver: a ШТРИХ-М fiscal register over TCP (its network port, 7778 by default).

One connection per operation. Registering a receipt: status first (a check
left open by an earlier failed attempt is cancelled, so a retry starts
clean), open the check, its lines with their discounts, tips as a line,
the check's discount, close with the amounts by payment type, and read the
document number. Any failure on the way cancels the open check and raises
FiscalError: the register has then booked nothing.

Payment types: 1 cash (as handed over, the register prints the change),
2 card, 3 bank transfer, 4 prepaid (gift certificate, client deposit).
"""
import socket
from decimal import Decimal

from hardware.fiscal import FiscalError, FiscalReceipt, FiscalResult, FiscalStatus, FiscalUnreachable
from hardware.fiscal import shtrih_protocol as p

PAYMENT_TYPE = {"cash": 0, "card": 1, "transfer": 2, "certificate": 3, "deposit": 3}
DEFAULT_PORT = 7778
RESENDS = 3


class _Session:
    """One TCP connection speaking the ENQ/ACK/NAK handshake."""

    def __init__(self, address: str, timeout: float):
        host, _, port = address.rpartition(":")
        try:
            self.sock = socket.create_connection((host or address, int(port or DEFAULT_PORT)), timeout=timeout)
        except (OSError, ValueError) as exc:
            raise FiscalUnreachable(f"the fiscal register at {address} cannot be reached: {exc}") from None

    def close(self) -> None:
        self.sock.close()

    def _read(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise FiscalError("the fiscal register closed the connection")
            data += chunk
        return data

    def _answer(self) -> bytes:
        for _ in range(RESENDS):
            head = self._read(2)
            raw = head + self._read(head[1] + 1)
            try:
                body = p.unframe(raw)
            except p.ProtocolError:
                self.sock.sendall(bytes([p.NAK]))  # the register sends it again
                continue
            self.sock.sendall(bytes([p.ACK]))
            return body
        raise FiscalError("the fiscal register's answers keep arriving damaged")

    def call(self, command: int, data: bytes) -> bytes:
        """Send one command and return its answer's data; FiscalError on a non-zero error code."""
        try:
            self.sock.sendall(bytes([p.ENQ]))
            if self._read(1)[0] == p.ACK:
                self._answer()  # an answer left over from an interrupted exchange
            message = p.frame(command, data)
            for _ in range(RESENDS):
                self.sock.sendall(message)
                if self._read(1)[0] == p.ACK:
                    break
            else:
                raise FiscalError("the fiscal register keeps refusing the frame")
            answer = self._answer()
        except OSError as exc:
            raise FiscalError(f"the fiscal register did not answer: {exc}") from None
        if answer[0] != command:
            raise FiscalError(f"the fiscal register answered command {answer[0]:#04x} to {command:#04x}")
        if answer[1] != 0:
            raise FiscalError(f"the fiscal register refused command {command:#04x} with error {answer[1]:#04x}")
        return answer[2:]


class ShtrihDevice:
    """A ШТРИХ-М register at ``address`` (host:port), used with the operator's password."""

    prints_receipt = True

    def __init__(self, address: str, password: int = 30, timeout: float = 5.0):
        self.address, self.password, self.timeout = address, password, timeout

    def _session(self) -> _Session:
        return _Session(self.address, self.timeout)

    def _pwd(self) -> bytes:
        return p.password(self.password)

    def register(self, receipt: FiscalReceipt) -> FiscalResult:
        """Book ``receipt``; on any failure the open check is cancelled and FiscalError raised."""
        session = self._session()
        try:
            self._ready(session)
            try:
                self._book(session, receipt)
            except (FiscalError, p.ProtocolError) as exc:
                self._cancel(session)
                raise FiscalError(str(exc)) from None
            return FiscalResult(fiscal=True, document=str(self._document(session)))
        finally:
            session.close()

    def _document(self, session: _Session) -> int:
        """The current document number from the long status (0x11): bytes 9-10 of its data."""
        return int.from_bytes(session.call(p.LONG_STATUS, self._pwd())[9:11], "little")

    def last_document(self) -> int:
        """The register's last document number (long status); FiscalError if it cannot be asked."""
        session = self._session()
        try:
            return self._document(session)
        except p.ProtocolError as exc:
            raise FiscalError(str(exc)) from None
        finally:
            session.close()

    def _ready(self, session: _Session) -> None:
        mode = session.call(p.SHORT_STATUS, self._pwd())[3] & 0x0F
        if mode == p.MODE_CHECK_OPEN:
            session.call(p.CANCEL_CHECK, self._pwd())  # left open by an attempt that failed
        elif mode == p.MODE_SHIFT_EXPIRED:
            raise FiscalError("the register's shift is over 24 hours: close it with a Z report")

    def _book(self, session: _Session, receipt: FiscalReceipt) -> None:
        kind = receipt.kind
        session.call(p.OPEN_CHECK, self._pwd() + bytes([p.CHECK_SALE if kind == "sale" else p.CHECK_RETURN]))
        lines = list(receipt.lines)
        for line in lines:
            session.call(*p.line_command(kind, line.quantity, line.price, line.name, self.password))
            if line.discount:
                session.call(*p.discount_command(line.discount, line.name, self.password))
        if receipt.tips:
            session.call(*p.line_command(kind, Decimal(1), receipt.tips, "Tips / Чаевые", self.password))
        if receipt.check_discount:
            session.call(*p.discount_command(receipt.check_discount, "", self.password))
        sums = [Decimal(0)] * 4
        for method, value in receipt.payments:
            sums[PAYMENT_TYPE.get(method, 3)] += value
        session.call(*p.close_command(tuple(sums), self.password, receipt.cashier))

    def _cancel(self, session: _Session) -> None:
        try:
            session.call(p.CANCEL_CHECK, self._pwd())
        except FiscalError:
            pass  # no check open, or the register is gone: either way nothing stays booked

    def _report(self, command: int) -> None:
        session = self._session()
        try:
            session.call(command, self._pwd())
        finally:
            session.close()

    def x_report(self) -> None:
        """The daily report without clearing (X)."""
        self._report(p.X_REPORT)

    def z_report(self) -> None:
        """The daily report with clearing (Z): the register's shift is closed."""
        self._report(p.Z_REPORT)

    def status(self) -> FiscalStatus:
        """Ready unless unreachable, a check is open, or the shift is over 24 hours."""
        try:
            session = self._session()
            try:
                mode = session.call(p.SHORT_STATUS, self._pwd())[3] & 0x0F
            finally:
                session.close()
        except FiscalError as exc:
            return FiscalStatus.failed(exc)
        return FiscalStatus(mode not in (p.MODE_CHECK_OPEN, p.MODE_SHIFT_EXPIRED), f"mode {mode}",
                            p.MODE_CONDITIONS.get(mode, "other"))
