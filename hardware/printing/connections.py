"""How the box reaches a printer: network (port 9100), USB, serial or a device file.

Each connection has the same two methods: ``send(data)`` delivers a whole
job or raises ``PrinterUnavailable``, and ``status()`` says what the printer
reports (``PrinterState``). Driver errors (socket, pyusb, pyserial, OS) are
translated here and never leave this module.
"""
import socket
from dataclasses import dataclass
from typing import Protocol

from escpos.exceptions import DeviceNotFoundError, USBNotFoundError

from appliance.domain.printer_config import parse_address

STATUS_PAPER = b"\x10\x04\x04"  # DLE EOT 4: real-time paper sensor status
PAPER_END = 0x60  # bits 5 and 6: paper end sensor
PAPER_NEAR_END = 0x0C  # bits 2 and 3: paper near-end sensor
STATUS_FIXED = 0x12  # bits 1 and 4 are always set in a status byte, 0 and 7 always clear
STATUS_MASK = 0x93


class PrinterUnavailable(Exception):
    """The printer could not be reached, or the job did not get through whole."""


@dataclass(frozen=True)
class PrinterState:
    """What a printer was found to be: online, offline, paper_out, paper_low or unknown."""

    state: str
    detail: str = ""


class PrinterConnection(Protocol):
    """The way to one printer."""

    def send(self, data: bytes) -> None:
        """Deliver ``data`` whole, or raise PrinterUnavailable."""

    def status(self) -> PrinterState:
        """The printer's state as far as this connection can tell."""


def paper_state(reply: bytes) -> PrinterState:
    """The state from a reply to DLE EOT 4; ``unknown`` if the reply is not a status byte."""
    if len(reply) < 1 or reply[-1] & STATUS_MASK != STATUS_FIXED:
        return PrinterState("unknown", "no status reply")
    if reply[-1] & PAPER_END:
        return PrinterState("paper_out", "paper end sensor")
    if reply[-1] & PAPER_NEAR_END:
        return PrinterState("paper_low", "paper near end")
    return PrinterState("online")


class NetworkConnection:
    """A raw TCP printer (JetDirect, port 9100)."""

    def __init__(self, host: str, port: int = 9100, timeout: float = 5.0):
        self.host, self.port, self.timeout = host, port, timeout

    def send(self, data: bytes) -> None:
        """Connect, send every byte, close our side and wait for the printer to close its side.

        A printer (or a power cut) that drops the connection before the end
        shows as a reset here, so a torn job is reported, never taken as printed.
        """
        try:
            with socket.create_connection((self.host, self.port), timeout=self.timeout) as sock:
                sock.sendall(data)
                sock.shutdown(socket.SHUT_WR)
                try:
                    while sock.recv(4096):
                        pass  # status bytes the printer volunteers are of no use here
                except TimeoutError:
                    pass  # some printers keep the connection open; every byte was acknowledged by TCP
        except OSError as exc:
            raise PrinterUnavailable(f"{self.host}:{self.port}: {exc.strerror or exc}") from None

    def status(self) -> PrinterState:
        """Offline if it does not accept a connection; else its answer to DLE EOT 4."""
        try:
            with socket.create_connection((self.host, self.port), timeout=self.timeout) as sock:
                sock.sendall(STATUS_PAPER)
                sock.settimeout(min(self.timeout, 1.0))
                try:
                    reply = sock.recv(16)
                except TimeoutError:
                    reply = b""
        except OSError as exc:
            return PrinterState("offline", f"{self.host}:{self.port}: {exc.strerror or exc}")
        return paper_state(reply)


class _EscposDeviceConnection:
    """A printer reached through one of python-escpos's device classes (USB, serial, file)."""

    def __init__(self, label: str, factory, can_read: bool):
        self.label, self.factory, self.can_read = label, factory, can_read

    def _open(self):
        try:
            device = self.factory()
            device.open()
        except (DeviceNotFoundError, USBNotFoundError, OSError, ValueError) as exc:
            raise PrinterUnavailable(f"{self.label}: {exc}") from None
        except Exception as exc:  # e.g. pyusb's NoBackendError where libusb is missing
            raise PrinterUnavailable(f"{self.label}: {type(exc).__name__}: {exc}") from None
        return device

    def send(self, data: bytes) -> None:
        """Open the device, write ``data``, close it."""
        device = self._open()
        try:
            device._raw(data)
        except Exception as exc:  # pyusb/pyserial/OS errors all mean the same thing here
            raise PrinterUnavailable(f"{self.label}: {exc}") from None
        finally:
            _close_quietly(device)

    def status(self) -> PrinterState:
        """Offline if the device cannot be opened; else its answer to DLE EOT 4 where it can answer."""
        try:
            device = self._open()
        except PrinterUnavailable as exc:
            return PrinterState("offline", str(exc))
        try:
            if not self.can_read:
                return PrinterState("online", "the device file cannot report paper")
            return paper_state(device.query_status(STATUS_PAPER))
        except Exception:  # a printer that does not answer status queries
            return PrinterState("unknown", "no status reply")
        finally:
            _close_quietly(device)


def _close_quietly(device) -> None:
    try:
        device.close()
    except Exception:  # closing a device that went away
        pass


def connect(kind: str, address: str, timeout: float = 5.0) -> PrinterConnection:
    """The connection for a printer's ``kind`` and ``address`` (``appliance.domain.printer_config``)."""
    target = parse_address(kind, address)
    if kind == "network":
        return NetworkConnection(target["host"], target["port"], timeout)
    if kind == "usb":
        from escpos.printer import Usb

        return _EscposDeviceConnection(address, lambda: Usb(target["vendor"], target["product"],
                                                            timeout=int(timeout * 1000)), True)
    if kind == "serial":
        from escpos.printer import Serial

        return _EscposDeviceConnection(address, lambda: Serial(target["device"], target["baud"],
                                                               timeout=timeout), True)
    from escpos.printer import File

    return _EscposDeviceConnection(address, lambda: File(target["path"]), False)
