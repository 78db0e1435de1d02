"""The ШТРИХ-М reference driver against a stand-in register on loopback (PO2)."""
import socket
from decimal import Decimal

import pytest

from hardware.fiscal import FiscalError, FiscalLine, FiscalReceipt, FiscalStatus, open_device
from hardware.fiscal import shtrih_protocol as p
from tests.infra.shtrih_register import ShtrihRegister

D = Decimal
SALE = FiscalReceipt("sale", (FiscalLine("Стрижка", D(1), D("2500.00"), D("250.00")),
                              FiscalLine("Шампунь", D("2"), D("700.50"))),
                     (("cash", D("3000.00")), ("card", D("1000.00"))), check_discount=D("51.00"), tips=D("200.00"))


@pytest.fixture
def register():
    device = ShtrihRegister().start()
    yield device
    device.stop()


def test_frames_carry_length_and_lrc_and_damaged_ones_are_refused():
    raw = p.frame(p.SHORT_STATUS, p.password(30))
    assert raw == bytes([0x02, 0x05, 0x10, 30, 0, 0, 0, 0x05 ^ 0x10 ^ 30])
    assert p.unframe(raw) == bytes([0x10, 30, 0, 0, 0])
    with pytest.raises(p.ProtocolError, match="LRC"):
        p.unframe(raw[:-1] + bytes([raw[-1] ^ 1]))
    with pytest.raises(p.ProtocolError):
        p.amount(D("0.001"))
    assert p.text("Oʻzbek")[:6] == b"O'zbek"


def test_a_sale_is_booked_with_its_lines_discounts_tips_and_payment_types(register):
    device = open_device("shtrih_m", register.address)
    assert device.status() == FiscalStatus(True, "mode 2", "shift_open")
    result = device.register(SALE)
    assert (result.fiscal, result.document) == (True, "1")
    [receipt] = register.receipts
    # 2250 + 1401 + tips 200 - 51 = 3800 due; 3000 cash and 1000 card handed over: 200 change.
    assert receipt.total == D("3800.00") and receipt.change == D("200.00")
    assert receipt.sums == (D("2800.00"), D("1000.00"), D(0), D(0))
    assert [line[0] for line in receipt.lines] == ["Стрижка", "Шампунь", "Tips / Чаевые"]
    back = device.register(FiscalReceipt("return", (FiscalLine("Шампунь", D(1), D("700.50")),),
                                         (("card", D("700.50")),)))
    assert back.document == "2" and register.totals[2][1] == D("700.50")


def test_a_refusal_or_a_cut_cable_books_nothing_and_the_retry_starts_clean(register):
    device = open_device("shtrih_m", register.address)
    register.fail(p.CLOSE_CHECK)
    with pytest.raises(FiscalError, match="error 0x45"):
        device.register(SALE)
    assert register.receipts == [] and register.check is None  # cancelled by the driver
    register.drop(p.SALE)
    with pytest.raises(FiscalError):
        device.register(SALE)
    assert register.check is not None  # the register still holds the check the cut left open
    assert device.status() == FiscalStatus(False, "mode 8", "document_open")
    assert device.register(SALE).document == "1"  # cancelled first, then booked whole
    assert len(register.receipts) == 1 and len(register.receipts[0].lines) == 3


def test_wrong_password_unreachable_register_and_reports(register):
    with pytest.raises(FiscalError, match="0x4f"):
        open_device("shtrih_m", register.address, password=1).register(SALE)
    device = open_device("shtrih_m", register.address)
    device.x_report()
    device.z_report()
    assert register.reports == ["X", "Z"]
    register.stop()
    with pytest.raises(FiscalError, match="cannot be reached"):
        device.register(SALE)
    status = device.status()
    assert (status.ready, status.condition) == (False, "unreachable") and "cannot be reached" in status.detail
    with pytest.raises(FiscalError, match="unknown"):
        open_device("cash_drawer")


def test_the_stand_in_refuses_a_damaged_frame_with_nak(register):
    with socket.create_connection(("127.0.0.1", register.port), timeout=5) as sock:
        raw = bytearray(p.frame(p.SHORT_STATUS, p.password(30)))
        raw[-1] ^= 0xFF
        sock.sendall(bytes(raw))
        assert sock.recv(1) == bytes([p.NAK])
    assert register.bad_frames == 1


def test_the_last_document_number_is_read_from_the_long_status_even_when_an_answer_is_lost(register):
    device = open_device("shtrih_m", register.address)
    assert device.last_document() == 0
    register.lose_answer(p.CLOSE_CHECK)
    with pytest.raises(FiscalError):
        device.register(SALE)  # the register issued it; the box never heard
    assert len(register.receipts) == 1 and device.last_document() == 1
    assert open_device("non_fiscal").last_document() is None
    register.stop()
    with pytest.raises(FiscalError, match="cannot be reached"):
        device.last_document()
