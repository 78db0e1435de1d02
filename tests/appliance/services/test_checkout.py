"""Checkout and the cash register (PO1-PO6, BK7, BK12, LY3) on real SQLite, with a stand-in fiscal register."""
from datetime import timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appliance.domain.checkout import Tender
from appliance.services import cash, checkout, prepaid, refunds, sales, shift_reports, stock_ledger
from appliance.services.errors import Conflict, InvalidInput
from appliance.storage.models.bookings import Booking
from appliance.storage.models.cash import CashRegister, CashShift, ShiftClosed
from appliance.storage.models.checkout import GiftCertificate, Sale, SalePayment
from appliance.storage.models.printing import PrintJob
from hardware.fiscal import shtrih_protocol as p
from tests.appliance.services.checkout_fixtures import (  # noqa: F401  (fixtures)
    SHAMPOO_BARCODE, add_printer, book_visit, desk, shampoo, visit,
)
from tests.infra.shtrih_register import ShtrihRegister

D = Decimal


@pytest.fixture
def shift(desk):
    register = cash.registers()[0]
    return cash.open_shift(desk, register.id, D("100000"))


def test_a_visit_is_checked_out_split_between_cash_and_card_with_change(desk, visit, shift, system):
    add_printer(system, "127.0.0.1:9")
    sale = sales.open_for_booking(desk, visit.id)
    [line] = sales.lines_of(sale)
    assert (line.unit_price, line.price_min, line.price_max) == (D("150000"), D("150000"), D("250000"))
    with pytest.raises(InvalidInput) as refused:
        sales.update_line(desk, sale.id, line.id, {"unit_price": D("260000")})
    assert refused.value.fields[0][0] == "unit_price"
    sales.update_line(desk, sale.id, line.id, {"unit_price": D("200000"), "discount_kind": "percent",
                                               "discount_value": D(10), "discount_reason": "regular client"})
    with pytest.raises(InvalidInput, match="say why"):
        sales.set_check_discount(desk, sale.id, {"check_discount_kind": "amount", "check_discount_value": D(5000)})
    sales.set_check_discount(desk, sale.id, {"check_discount_kind": "amount", "check_discount_value": D("5000"),
                                             "check_discount_reason": "birthday"})
    sales.set_tips(desk, sale.id, [(visit.written_items[0].master_id, D("20000"))])
    sale = Sale.get_by_id(sale.id)
    assert (sale.subtotal, sale.line_discounts, sale.check_discount, sale.total, sale.tips_total) == (
        D("200000"), D("20000"), D("5000"), D("175000"), D("20000"))
    with pytest.raises(InvalidInput, match="add up"):
        checkout.pay(desk, sale.id, [Tender("card", D("100000"))])
    paid = checkout.pay(desk, sale.id, [Tender("card", D("100000")), Tender("cash", D("95000"), D("100000"))])
    assert paid.printed and paid.sale.number == 1 and paid.sale.change == D("5000")
    assert Booking.get_by_id(visit.id).status == "completed"
    assert PrintJob.select().where(PrintJob.kind == "receipt").count() == 1
    with pytest.raises(Conflict):
        sales.update_line(desk, sale.id, line.id, {"unit_price": D("150000")})
    report = shift_reports.figures(CashShift.get_by_id(shift.id))
    assert {m.method: m.sales for m in report.by_method} == {"cash": D("95000"), "card": D("100000")}
    assert report.tips == D("20000") and report.sales_count == 1


def test_a_fiscal_failure_records_nothing_and_the_retry_succeeds(desk, visit, system):
    device = ShtrihRegister().start()
    try:
        register = cash.save_register(system, {"name": "Fiscal", "driver": "shtrih_m", "address": device.address})
        cash.open_shift(desk, register.id, D(0))
        sale = sales.open_for_booking(desk, visit.id)
        sales.add_line(desk, sale.id, {"kind": "certificate", "amount": D("300000")})
        tenders = [Tender("cash", D("450000"), D("500000"))]
        device.fail(p.CLOSE_CHECK)
        with pytest.raises(Conflict) as refused:
            checkout.pay(desk, sale.id, tenders, register_id=register.id)
        assert refused.value.code == "fiscal_failed" and "0x45" in refused.value.message
        assert Sale.get_by_id(sale.id).status == "open" and Sale.get_by_id(sale.id).number is None
        assert SalePayment.select().count() == 0 and GiftCertificate.select().count() == 0
        assert Booking.get_by_id(visit.id).status == "confirmed"
        assert CashRegister.get_by_id(register.id).last_receipt_number == 0 and device.receipts == []
        paid = checkout.pay(desk, sale.id, tenders, register_id=register.id)
        assert (paid.sale.number, paid.sale.fiscal_document, paid.printed) == (1, "1", False)
        assert device.receipts[0].change == D("50000") and device.receipts[0].total == D("450000")
        assert Booking.get_by_id(visit.id).status == "completed"
    finally:
        device.stop()


def test_gift_certificate_sold_then_partly_redeemed_then_expired_and_restored_by_a_refund(
        desk, small_salon, shift):
    first = sales.open_walk_in(desk, small_salon["client"].id)
    line = sales.add_line(desk, first.id, {"kind": "certificate", "amount": D("200000")})
    checkout.pay(desk, first.id, [Tender("card", D("200000"))])
    certificate = GiftCertificate.get(GiftCertificate.code == line.certificate_code)
    assert certificate.balance == D("200000") and certificate.status == "active"
    second = sales.open_for_booking(desk, book_visit(small_salon, 12).id)
    with pytest.raises(InvalidInput, match="no gift certificate"):
        checkout.pay(desk, second.id, [Tender("certificate", D("150000"), reference="nope")])
    paid = checkout.pay(desk, second.id, [Tender("certificate", D("120000"), reference=line.certificate_code.lower()),
                                          Tender("cash", D("30000"))])
    assert GiftCertificate.get_by_id(certificate.id).balance == D("80000") and paid.sale.number == 2
    with pytest.raises(Conflict, match="spent"):
        refunds.refund(desk, first.id, [], "changed her mind")
    refunds.refund(desk, paid.sale.id, [], "service redone for free")
    assert GiftCertificate.get_by_id(certificate.id).balance == D("200000")
    GiftCertificate.update(expires_on=prepaid.local_today(prepaid.SalonContext.load()) - timedelta(days=1)).execute()
    third = sales.open_walk_in(desk)
    sales.add_line(desk, third.id, {"kind": "certificate", "amount": D("1000")})
    with pytest.raises(InvalidInput, match="expired"):
        checkout.pay(desk, third.id, [Tender("certificate", D("1000"), reference=line.certificate_code)])


def test_deposit_top_up_spend_and_never_below_zero(desk, small_salon, shift):
    client = small_salon["client"]
    top_up = sales.open_walk_in(desk, client.id)
    sales.add_line(desk, top_up.id, {"kind": "deposit", "amount": D("100000")})
    checkout.pay(desk, top_up.id, [Tender("cash", D("100000"))])
    assert prepaid.deposit_balance(client.id) == D("100000")
    visit_sale = sales.open_for_booking(desk, book_visit(small_salon, 14).id)
    with pytest.raises(InvalidInput, match="holds only"):
        checkout.pay(desk, visit_sale.id, [Tender("deposit", D("150000"))])
    checkout.pay(desk, visit_sale.id, [Tender("deposit", D("100000")), Tender("card", D("50000"))])
    assert prepaid.deposit_balance(client.id) == D(0)
    with pytest.raises(InvalidInput, match="deposit holds only"):
        refunds.refund(desk, top_up.id, [], "wants the money back")  # already spent: the top-up stays
    refunds.refund(desk, visit_sale.id, [], "complaint")
    assert prepaid.deposit_balance(client.id) == D("100000")


def test_a_product_sold_by_barcode_and_one_piece_returned_restores_stock(desk, shampoo, shift):
    sale = sales.open_walk_in(desk)
    with pytest.raises(InvalidInput) as unknown:
        sales.add_line(desk, sale.id, {"kind": "product", "barcode": "4601234567893"})
    assert unknown.value.fields[0][0] == "barcode"
    line = sales.add_line(desk, sale.id, {"kind": "product", "barcode": SHAMPOO_BARCODE, "quantity": D(2)})
    paid = checkout.pay(desk, sale.id, [Tender("cash", D("170000"), D("200000"))])
    warehouse = stock_ledger.default_warehouse("retail").id
    assert stock_ledger.balance(warehouse, shampoo.id) == D(8)
    back = refunds.refund(desk, paid.sale.id, [(line.id, D(1))], "damaged bottle")
    assert (back.sale.number, back.sale.kind, back.sale.total) == (2, "return", D("85000"))
    assert stock_ledger.balance(warehouse, shampoo.id) == D(9)
    with pytest.raises(InvalidInput):
        refunds.refund(desk, paid.sale.id, [(line.id, D(2))], "again")
    report = shift_reports.figures(CashShift.get_by_id(shift.id))
    assert {m.method: (m.sales, m.returns) for m in report.by_method} == {"cash": (D("170000"), D("85000"))}


def test_a_closed_shift_refuses_every_write(desk, shift, small_salon):
    report = shift_reports.close_shift(desk, shift.id)
    assert report.kind == "Z" and CashShift.get_by_id(shift.id).z_totals["cash_in_drawer"] == "100000.00"
    with pytest.raises(Conflict, match="closed"):
        cash.move_cash(desk, shift.id, "in", D(1000), "change_fund")
    with pytest.raises(Conflict, match="closed"):
        shift_reports.x_report(desk, shift.id)
    stored = CashShift.get_by_id(shift.id)
    stored.opening_cash = D(1)
    with pytest.raises(ShiftClosed):
        stored.save()
    sale = sales.open_walk_in(desk)
    sales.add_line(desk, sale.id, {"kind": "certificate", "amount": D(1000)})
    with pytest.raises(Conflict, match="open a cash shift"):
        checkout.pay(desk, sale.id, [Tender("cash", D(1000))])


def test_roubles_round_to_kopecks(app, system, desk):
    from appliance.storage.models.catalogue import Salon

    Salon.update(currency="RUB").execute()
    shift = cash.open_shift(desk, cash.registers()[0].id, D("0.00"))
    sale = sales.open_walk_in(desk)
    sales.add_line(desk, sale.id, {"kind": "certificate", "amount": D("999.99")})
    sales.set_check_discount(desk, sale.id, {"check_discount_kind": "percent", "check_discount_value": D("3.3"),
                                             "check_discount_reason": "promo"})
    assert Sale.get_by_id(sale.id).total == D("966.99")  # 33.00 off 999.99
    with pytest.raises(InvalidInput, match="decimal places"):
        checkout.pay(desk, sale.id, [Tender("cash", D("966.985"))])
    checkout.pay(desk, sale.id, [Tender("cash", D("966.99"), D("1000"))])
    assert Sale.get_by_id(sale.id).change == D("33.01")
    assert shift_reports.close_shift(desk, shift.id).by_method[0].sales == D("966.99")


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(1, 30), st.integers(0, 100), st.booleans()), min_size=1, max_size=4))
def test_z_report_totals_equal_the_sum_of_payments(desk, small_salon, checks):
    shift = cash.open_shift(desk, cash.registers()[0].id, D(0))
    expected = {}
    for thousands, card_share, refund in checks:
        sale = sales.open_walk_in(desk)
        amount = D(thousands * 1000)
        sales.add_line(desk, sale.id, {"kind": "certificate", "amount": amount})
        card = (amount * card_share / 100).quantize(D(1))
        tenders = [t for t in (Tender("card", card), Tender("cash", amount - card)) if t.amount]
        checkout.pay(desk, sale.id, tenders)
        for t in tenders:
            expected[t.method] = expected.get(t.method, D(0)) + t.amount
        if refund:
            back = refunds.refund(desk, sale.id, [], "test")
            for payment in SalePayment.select().where(SalePayment.sale == back.sale.id):
                expected[payment.method] -= payment.amount
    report = shift_reports.close_shift(desk, shift.id)
    net = {m.method: m.sales - m.returns for m in report.by_method}
    assert {k: v for k, v in net.items() if v} == {k: v for k, v in expected.items() if v}
    checks_total = sum((s.total + s.tips_total) * (1 if s.kind == "sale" else -1)
                       for s in Sale.select().where(Sale.shift == shift.id))
    assert sum(net.values(), D(0)) == checks_total
