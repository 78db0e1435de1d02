"""The frames of the ШТРИХ-М fiscal register protocol (the subset the box uses), as pure functions.

A message is ``STX, LEN, CMD, DATA…, LRC``: LEN counts CMD and DATA, LRC is
the XOR of LEN, CMD and DATA. The host asks with ENQ; the register answers
NAK when it waits for a command, ACK when an answer is still pending. A
frame taken is acknowledged with ACK, a damaged one with NAK (sent again).
Commands carry the operator's password (4 bytes) first; an answer repeats
the command byte, then an error code (0 = done), then its data. Numbers are
little-endian: amounts in 1/100 of the currency unit in 5 bytes,
quantities in thousandths in 5 bytes, texts 40 bytes of CP1251.
"""
from decimal import Decimal

STX, ENQ, ACK, NAK = 0x02, 0x05, 0x06, 0x15
SHORT_STATUS, LONG_STATUS = 0x10, 0x11
X_REPORT, Z_REPORT = 0x40, 0x41
SALE, RETURN_SALE, CLOSE_CHECK, DISCOUNT, CANCEL_CHECK, OPEN_CHECK = 0x80, 0x82, 0x85, 0x86, 0x88, 0x8D
CHECK_SALE, CHECK_RETURN = 0, 2  # document types of OPEN_CHECK
MODE_CHECK_OPEN, MODE_SHIFT_EXPIRED = 8, 3  # modes in the status answers
# The modes a working register reports, by FiscalStatus.condition (the rest are service modes).
MODE_CONDITIONS = {0: "working", 2: "shift_open", MODE_SHIFT_EXPIRED: "shift_expired", 4: "shift_closed",
                   MODE_CHECK_OPEN: "document_open"}
TEXT_BYTES = 40


class ProtocolError(ValueError):
    """Bytes that are not a frame of this protocol, or a value it cannot carry."""


def lrc(data: bytes) -> int:
    """XOR of every byte."""
    value = 0
    for byte in data:
        value ^= byte
    return value


def frame(command: int, data: bytes = b"") -> bytes:
    """STX, LEN, CMD, DATA, LRC."""
    body = bytes([command]) + data
    if len(body) > 255:
        raise ProtocolError("a frame carries at most 255 bytes")
    return bytes([STX, len(body)]) + body + bytes([lrc(bytes([len(body)]) + body)])


def unframe(raw: bytes) -> bytes:
    """CMD and DATA of a whole frame; ProtocolError if the start, length or LRC is wrong."""
    if len(raw) < 3 or raw[0] != STX or raw[1] != len(raw) - 3:
        raise ProtocolError("not a whole frame")
    if lrc(raw[1:-1]) != raw[-1]:
        raise ProtocolError("LRC mismatch")
    return raw[2:-1]


def password(value: int) -> bytes:
    """The operator's password field."""
    return value.to_bytes(4, "little")


def amount(value: Decimal) -> bytes:
    """An amount in 1/100 units, 5 bytes; finer or negative amounts cannot be carried."""
    cents = value * 100
    if value < 0 or cents != cents.to_integral_value() or cents >= 256 ** 5:
        raise ProtocolError(f"amount {value} cannot be sent to the register")
    return int(cents).to_bytes(5, "little")


def quantity(value: Decimal) -> bytes:
    """A quantity in thousandths, 5 bytes."""
    thousandths = value * 1000
    if value <= 0 or thousandths != thousandths.to_integral_value():
        raise ProtocolError(f"quantity {value} cannot be sent to the register")
    return int(thousandths).to_bytes(5, "little")


def text(value: str) -> bytes:
    """40 bytes of CP1251, cut or padded with zeros; letters it lacks (Uzbek ʻ) become '."""
    cleaned = value.replace("\u02bb", "'").replace("\u02bc", "'")
    return cleaned.encode("cp1251", errors="replace")[:TEXT_BYTES].ljust(TEXT_BYTES, b"\x00")


def to_amount(raw: bytes) -> Decimal:
    """5 bytes in 1/100 units back to an amount."""
    return Decimal(int.from_bytes(raw, "little")).scaleb(-2)


def line_command(kind: str, qty: Decimal, price: Decimal, name: str, pwd: int) -> tuple[int, bytes]:
    """A sale (or return) line: quantity, price, department 1, no taxes, the name."""
    command = SALE if kind == "sale" else RETURN_SALE
    return command, password(pwd) + quantity(qty) + amount(price) + bytes([1, 0, 0, 0, 0]) + text(name)


def discount_command(value: Decimal, name: str, pwd: int) -> tuple[int, bytes]:
    """An amount off the check as it stands."""
    return DISCOUNT, password(pwd) + amount(value) + bytes(4) + text(name)


def close_command(sums: tuple[Decimal, Decimal, Decimal, Decimal], pwd: int, note: str = "") -> tuple[int, bytes]:
    """Close the check: cash (as handed over), payment types 2-4, no percentage discount, no taxes."""
    return CLOSE_CHECK, password(pwd) + b"".join(amount(s) for s in sums) + bytes(2) + bytes(4) + text(note)
