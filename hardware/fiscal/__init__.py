"""Fiscal registers behind one small interface (PO2): a certified device per country plugs in here.

A register's driver is one of its settings (``CashRegister.driver``):
``non_fiscal`` (the box's own receipt, printed through the print queue) or
``shtrih_m`` (a ШТРИХ-М fiscal register over TCP, ``hardware.fiscal.shtrih``).
Every driver error — sockets, timeouts, the device's own error codes —
leaves a driver as ``FiscalError`` and nothing else.
"""
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

ZERO = Decimal(0)


class FiscalError(Exception):
    """The fiscal register refused the receipt or report, or could not be reached; nothing was registered."""


class FiscalUnreachable(FiscalError):
    """No connection to the fiscal register at all (off, unplugged, a wrong address)."""


@dataclass(frozen=True)
class FiscalLine:
    """One line as the register books it: quantity × price, less the line's discount."""

    name: str
    quantity: Decimal
    price: Decimal
    discount: Decimal = ZERO


@dataclass(frozen=True)
class FiscalReceipt:
    """A sale or a return to register: lines, the check's discount, tips, and the amounts by method.

    ``payments`` are (method, amount) with cash as handed over, so the
    register itself prints the change.
    """

    kind: str  # sale, return
    lines: tuple[FiscalLine, ...]
    payments: tuple[tuple[str, Decimal], ...]
    check_discount: Decimal = ZERO
    tips: Decimal = ZERO
    cashier: str = ""


@dataclass(frozen=True)
class FiscalResult:
    """What the register gave the receipt: its own document number (empty for the non-fiscal driver)."""

    fiscal: bool
    document: str = ""


@dataclass(frozen=True)
class FiscalStatus:
    """Whether the register can take a receipt now, and what it says about itself.

    ``condition`` names it for people in any language: working, shift_open, shift_expired,
    shift_closed, document_open, other (the device's own code in ``detail``), non_fiscal,
    unreachable, error (the device's answer in ``detail``).
    """

    ready: bool
    detail: str = ""
    condition: str = ""

    @classmethod
    def failed(cls, exc: FiscalError) -> "FiscalStatus":
        """The status of a register that could not be asked: unreachable, or what it answered."""
        return cls(False, str(exc), "unreachable" if isinstance(exc, FiscalUnreachable) else "error")


class FiscalDevice(Protocol):
    """A fiscal register. ``prints_receipt``: it prints the client's receipt itself."""

    prints_receipt: bool

    def register(self, receipt: FiscalReceipt) -> FiscalResult:
        """Book and print ``receipt``; FiscalError if it was not booked (then nothing was)."""

    def x_report(self) -> None:
        """Print the register's X report (the shift stays open)."""

    def z_report(self) -> None:
        """Print the Z report and close the register's shift."""

    def status(self) -> FiscalStatus:
        """Ask the register how it is."""

    def last_document(self) -> int | None:
        """The number of the register's last document (None: this driver keeps no numbers, books nothing).

        Read before a receipt is sent and after a crash: moved past the number
        read before, the receipt was issued (see appliance.services.fiscal_intents).
        FiscalError if the register cannot be asked.
        """


def open_device(driver: str, address: str = "", password: int = 30, timeout: float = 5.0) -> FiscalDevice:
    """The device of a register's settings; FiscalError for a driver this box does not have."""
    if driver == "non_fiscal":
        from hardware.fiscal.non_fiscal import NonFiscalDevice

        return NonFiscalDevice()
    if driver == "shtrih_m":
        from hardware.fiscal.shtrih import ShtrihDevice

        return ShtrihDevice(address, password, timeout)
    raise FiscalError(f"unknown fiscal driver {driver!r}")
