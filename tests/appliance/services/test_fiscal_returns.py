"""Returns through a fiscal register (PO2, PO3): never lost, never registered twice, whatever dies when.

The stand-in ШТРИХ-М register on loopback keeps its document counter and the
receipts it closed (sales and returns by their type). The box "dies" by an
exception no handler of the box catches, with its transaction rolled back.
"""
from decimal import Decimal

import pytest

from appliance.domain.checkout import Tender
from appliance.services import cash, checkout, refunds, sales
from appliance.services.errors import Conflict, InvalidInput
from appliance.storage.models.cash import CashRegister, FiscalIntent
from appliance.storage.models.checkout import Sale, SalePayment
from hardware.fiscal import shtrih_protocol as p
from tests.appliance.services.checkout_fixtures import book_visit, desk, visit  # noqa: F401  (fixtures)
from tests.appliance.services.checkout_fixtures import dies_while
from tests.infra.shtrih_register import ShtrihRegister

D = Decimal
RETURN_TYPE = p.CHECK_RETURN


@pytest.fixture
def paid_visit(desk, visit, system):
    """A visit paid in cash on a ШТРИХ-М register (stand-in); yields (device, register, sale)."""
    device = ShtrihRegister().start()
    register = cash.save_register(system, {"name": "Fiscal", "driver": "shtrih_m", "address": device.address})
    cash.open_shift(desk, register.id, D(0))
    sale = checkout.pay(desk, sales.open_for_booking(desk, visit.id).id, [Tender("cash", D("150000"))],
                        register_id=register.id).sale
    yield device, register, sale
    device.stop()


def _returns_of(sale_id):
    return list(Sale.select().where((Sale.original == sale_id) & (Sale.kind == "return")))


def _refund_and_die(monkeypatch, desk, sale_id, register, where=(refunds, "issue_number")):
    """Refund everything; the box dies at ``where`` (by default: the register has issued the return)."""
    dies_while(monkeypatch, where, lambda: refunds.refund(desk, sale_id, [], "complaint", register_id=register.id))


def test_the_box_dies_after_the_register_issued_the_return_and_asking_again_records_it_once(
        desk, paid_visit, monkeypatch):
    device, register, sale = paid_visit
    _refund_and_die(monkeypatch, desk, sale.id, register)
    assert [r.kind for r in device.receipts][-1] == RETURN_TYPE and device.document == 2
    assert _returns_of(sale.id) == []  # rolled back with the box
    [intent] = FiscalIntent.select().where(FiscalIntent.kind == "return")
    assert (intent.state, intent.sale, intent.document_before) == ("open", sale.id, 1)
    assert intent.detail["reason"] == "complaint" and len(intent.detail["lines"]) == 1

    again = refunds.refund(desk, sale.id, [], "typed again", register_id=register.id)
    assert len(device.receipts) == 2 and device.commands.count(p.OPEN_CHECK) == 2  # not registered again
    [ret] = _returns_of(sale.id)
    assert again.sale.id == ret.id and again.printed is False
    assert (ret.status, ret.total, ret.fiscal_document, ret.reason) == ("paid", D("150000"), "2", "complaint")
    payment = SalePayment.get(SalePayment.sale == ret.id)
    assert (payment.kind, payment.method, payment.amount) == ("return", "cash", D("150000"))
    intent = FiscalIntent.get_by_id(intent.id)
    assert (intent.state, intent.document, intent.detail["return_id"]) == ("recovered", "2", ret.id)
    assert CashRegister.get_by_id(register.id).last_receipt_number == 2
    with pytest.raises(Conflict) as nothing:
        refunds.refund(desk, sale.id, [], "third time", register_id=register.id)
    assert nothing.value.code == "nothing_to_return" and len(device.receipts) == 2


def test_a_payment_on_the_register_records_the_crashed_return_first(desk, paid_visit, small_salon, monkeypatch):
    device, register, sale = paid_visit
    _refund_and_die(monkeypatch, desk, sale.id, register)
    second = sales.open_for_booking(desk, book_visit(small_salon, 12).id)
    paid = checkout.pay(desk, second.id, [Tender("card", D("150000"))], register_id=register.id)
    [ret] = _returns_of(sale.id)
    assert (ret.status, ret.fiscal_document, ret.number) == ("paid", "2", 2)
    assert (paid.sale.fiscal_document, paid.sale.number) == ("3", 3) and len(device.receipts) == 3


def test_the_box_dies_before_the_register_took_the_return_and_asking_again_registers_it(
        desk, paid_visit, monkeypatch):
    device, register, sale = paid_visit
    _refund_and_die(monkeypatch, desk, sale.id, register, where=(refunds.receipts, "fiscal_receipt"))
    assert len(device.receipts) == 1
    back = refunds.refund(desk, sale.id, [], "complaint", register_id=register.id)
    assert [r.kind for r in device.receipts] == [p.CHECK_SALE, RETURN_TYPE] and back.sale.fiscal_document == "2"
    assert len(_returns_of(sale.id)) == 1
    states = [(i.kind, i.state) for i in FiscalIntent.select().order_by(FiscalIntent.id)]
    assert states == [("sale", "done"), ("return", "abandoned"), ("return", "done")]


def test_a_lost_answer_to_a_return_is_settled_at_once(desk, paid_visit):
    device, register, sale = paid_visit
    device.lose_answer(p.CLOSE_CHECK)
    back = refunds.refund(desk, sale.id, [], "complaint", register_id=register.id)
    assert len(device.receipts) == 2 and back.sale.fiscal_document == "2"
    assert len(_returns_of(sale.id)) == 1
    assert FiscalIntent.select().where(FiscalIntent.kind == "return").get().state == "recovered"


def test_a_wrong_line_is_refused_before_the_register_is_asked(desk, paid_visit):
    device, register, sale = paid_visit
    asked = len(device.commands)
    with pytest.raises(InvalidInput) as wrong:
        refunds.refund(desk, sale.id, [("no-such-line", D(1))], "complaint", register_id=register.id)
    assert wrong.value.fields[0][0] == "lines.0.line_id"
    assert len(device.commands) == asked and FiscalIntent.select().where(FiscalIntent.kind == "return").count() == 0
