"""Connections to printers: bytes delivered whole or an error, and the state each can tell."""
import pytest

from appliance.domain.printer_config import parse_address
from hardware.printing.connections import PrinterUnavailable, connect, paper_state
from tests.infra.escpos_printer import TcpPrinter


@pytest.fixture
def endpoint():
    printer = TcpPrinter()
    yield printer
    printer.close()


def test_a_network_printer_gets_the_bytes_and_reports_paper(endpoint):
    endpoint.start()
    connection = connect("network", endpoint.address)
    connection.send(b"\x1b@hello\n")
    assert endpoint.wait_for(lambda e: e.jobs() == [b"\x1b@hello\n"])
    assert connection.status().state == "online"
    endpoint.paper = False
    assert connection.status().state == "paper_out"


def test_a_network_printer_that_is_off_or_resets_mid_job_is_an_error(endpoint):
    connection = connect("network", endpoint.address, timeout=2)
    assert connection.status().state == "offline"
    with pytest.raises(PrinterUnavailable):
        connection.send(b"\x1b@x")
    endpoint.start()
    endpoint.fail_after(1000)
    with pytest.raises(PrinterUnavailable):
        connection.send(b"\x1b@" + b"x" * 200_000)
    assert len(endpoint.jobs()[0]) == 1000
    assert connection.status().state == "offline"  # it went off with the reset


def test_a_device_file_is_written_and_a_missing_one_is_offline(tmp_path):
    target = tmp_path / "lp0"
    target.touch()
    connection = connect("file", str(target))
    connection.send(b"\x1b@abc")
    assert target.read_bytes() == b"\x1b@abc" and connection.status().state == "online"
    gone = connect("file", str(tmp_path / "no" / "lp0"))
    assert gone.status().state == "offline"
    with pytest.raises(PrinterUnavailable):
        gone.send(b"x")


def test_a_usb_printer_that_is_not_plugged_in_is_offline():
    connection = connect("usb", "04b8:0e15")
    assert connection.status().state == "offline"
    with pytest.raises(PrinterUnavailable):
        connection.send(b"\x1b@")


def test_addresses_and_status_bytes():
    assert parse_address("network", "192.168.1.50") == {"host": "192.168.1.50", "port": 9100}
    assert parse_address("usb", "04b8:0202") == {"vendor": 0x04B8, "product": 0x0202}
    assert parse_address("serial", "/dev/ttyUSB0@19200") == {"device": "/dev/ttyUSB0", "baud": 19200}
    for kind, bad in (("network", "host:port"), ("usb", "epson"), ("serial", "COM1"), ("file", "lp0")):
        with pytest.raises(ValueError):
            parse_address(kind, bad)
    assert [paper_state(bytes([b])).state for b in (0x12, 0x1E, 0x72)] == ["online", "paper_low", "paper_out"]
    assert paper_state(b"").state == "unknown"
