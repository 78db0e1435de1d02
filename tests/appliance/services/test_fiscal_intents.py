"""The fiscal crash window (PO2): a sale is never half-recorded, whatever dies between register and commit.

The stand-in ШТРИХ-М register on loopback keeps its document counter; the
box "dies" by an exception that no handler of the box catches
(``BoxDied`` is not an ``Exception``), raised at the moment chosen, with its
write transaction rolled back as SQLite does when a process disappears.
"""
from decimal import Decimal

import pytest

from appliance.domain.checkout import Tender
from appliance.services import cash, checkout, sales, shift_reports
from appliance.services.errors import Conflict
from appliance.storage.models.base import AuditLog
from appliance.storage.models.bookings import Booking
from appliance.storage.models.cash import CashRegister, FiscalIntent
from appliance.storage.models.checkout import Sale, SalePayment
from hardware.fiscal import shtrih_protocol as p
from tests.appliance.services.checkout_fixtures import book_visit, desk, visit  # noqa: F401  (fixtures)
from tests.appliance.services.checkout_fixtures import dies_while
from tests.infra.shtrih_register import ShtrihRegister

D = Decimal
TENDERS = [Tender("cash", D("150000"), D("200000"))]


@pytest.fixture
def fiscal(desk, system):
    """A ШТРИХ-М register (stand-in) with an open shift; yields (device, register)."""
    device = ShtrihRegister().start()
    register = cash.save_register(system, {"name": "Fiscal", "driver": "shtrih_m", "address": device.address})
    cash.open_shift(desk, register.id, D(0))
    yield device, register
    device.stop()


def _pay_and_die(monkeypatch, desk, sale_id, register, where=(checkout, "issue_number")):
    """Pay; the box dies at ``where`` (by default: the register has accepted, the commit not yet made)."""
    dies_while(monkeypatch, where, lambda: checkout.pay(desk, sale_id, TENDERS, register_id=register.id))


def _sales_paid_once(sale_id):
    sale = Sale.get_by_id(sale_id)
    return sale.status, sale.number, SalePayment.select().where(SalePayment.sale == sale_id).count()


def test_the_box_dies_after_the_register_issued_the_receipt_and_paying_again_records_it_once(
        desk, visit, fiscal, monkeypatch):
    device, register = fiscal
    sale = sales.open_for_booking(desk, visit.id)
    _pay_and_die(monkeypatch, desk, sale.id, register)
    assert len(device.receipts) == 1 and device.document == 1
    assert Sale.get_by_id(sale.id).status == "open" and SalePayment.select().count() == 0  # rolled back
    [intent] = FiscalIntent.select()
    assert (intent.state, intent.attempt, intent.document_before, intent.sale) == ("open", 1, 0, sale.id)
    with pytest.raises(Conflict) as locked:
        sales.remove_line(desk, sale.id, sales.lines_of(sale)[0].id)
    assert locked.value.code == "fiscal_pending"

    # Paying again, even with other tenders typed: the register is asked, not sent the receipt again.
    paid = checkout.pay(desk, sale.id, [Tender("card", D("150000"))], register_id=register.id)
    assert len(device.receipts) == 1 and p.CLOSE_CHECK in device.commands
    assert device.commands.count(p.OPEN_CHECK) == 1
    assert _sales_paid_once(sale.id) == ("paid", 1, 1)
    assert (paid.sale.fiscal_document, paid.printed) == ("1", False)
    payment = SalePayment.get(SalePayment.sale == sale.id)
    assert (payment.method, payment.amount, payment.change) == ("cash", D("150000"), D("50000"))  # as registered
    assert CashRegister.get_by_id(register.id).last_receipt_number == 1
    assert Booking.get_by_id(visit.id).status == "completed"
    assert FiscalIntent.get_by_id(intent.id).state == "recovered"
    assert AuditLog.select().where(AuditLog.action == "sale.fiscal_recovered").count() == 1
    with pytest.raises(Conflict):
        checkout.pay(desk, sale.id, TENDERS, register_id=register.id)
    assert len(device.receipts) == 1


def test_another_sale_on_the_register_settles_the_crashed_one_first(desk, visit, small_salon, fiscal, monkeypatch):
    device, register = fiscal
    crashed = sales.open_for_booking(desk, visit.id)
    _pay_and_die(monkeypatch, desk, crashed.id, register)
    second = sales.open_for_booking(desk, book_visit(small_salon, 12).id)
    paid = checkout.pay(desk, second.id, [Tender("card", D("150000"))], register_id=register.id)
    assert [r.number for r in device.receipts] == [1, 2]
    assert _sales_paid_once(crashed.id) == ("paid", 1, 1) and Sale.get_by_id(crashed.id).fiscal_document == "1"
    assert (paid.sale.number, paid.sale.fiscal_document) == (2, "2")


def test_the_box_dies_before_the_register_took_it_and_paying_again_registers_normally(
        desk, visit, fiscal, monkeypatch):
    device, register = fiscal
    sale = sales.open_for_booking(desk, visit.id)
    _pay_and_die(monkeypatch, desk, sale.id, register, where=(checkout.receipts, "fiscal_receipt"))
    assert device.receipts == [] and FiscalIntent.get().state == "open"
    paid = checkout.pay(desk, sale.id, TENDERS, register_id=register.id)
    assert len(device.receipts) == 1 and _sales_paid_once(sale.id) == ("paid", 1, 1)
    assert paid.sale.fiscal_document == "1"
    assert [i.state for i in FiscalIntent.select().order_by(FiscalIntent.id)] == ["abandoned", "done"]
    assert [i.attempt for i in FiscalIntent.select().order_by(FiscalIntent.id)] == [1, 2]


def test_an_answer_lost_after_the_register_issued_the_receipt_is_settled_at_once(desk, visit, fiscal):
    device, register = fiscal
    sale = sales.open_for_booking(desk, visit.id)
    device.lose_answer(p.CLOSE_CHECK)
    paid = checkout.pay(desk, sale.id, TENDERS, register_id=register.id)
    assert len(device.receipts) == 1 and _sales_paid_once(sale.id) == ("paid", 1, 1)
    assert paid.sale.fiscal_document == "1" and FiscalIntent.get().state == "recovered"


def test_an_unreachable_register_keeps_the_intent_open_until_it_can_be_asked(desk, visit, fiscal, monkeypatch):
    device, register = fiscal
    sale = sales.open_for_booking(desk, visit.id)
    _pay_and_die(monkeypatch, desk, sale.id, register)
    device.stop()
    with pytest.raises(Conflict) as refused:
        checkout.pay(desk, sale.id, TENDERS, register_id=register.id)
    assert refused.value.code == "fiscal_pending" and FiscalIntent.get().state == "open"
    shift = cash.current_shift(register.id)
    with pytest.raises(Conflict):
        shift_reports.close_shift(desk, shift.id)  # the Z report waits for the register's answer
    device.start()
    checkout.pay(desk, sale.id, TENDERS, register_id=register.id)
    assert len(device.receipts) == 1 and _sales_paid_once(sale.id) == ("paid", 1, 1)
    shift_reports.close_shift(desk, shift.id)
    assert device.reports == ["Z"]


def test_the_non_fiscal_register_needs_no_intent(desk, visit):
    register = cash.registers()[0]
    cash.open_shift(desk, register.id, D(0))
    sale = sales.open_for_booking(desk, visit.id)
    checkout.pay(desk, sale.id, TENDERS)
    assert FiscalIntent.select().count() == 0 and Sale.get_by_id(sale.id).number == 1
