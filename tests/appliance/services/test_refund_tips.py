"""Tips given back (PO3, PO6): named per master, or with the whole check; never more than was given."""
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appliance.domain.checkout import Tender
from appliance.services import cash, checkout, receipts, refunds, sales, shift_reports
from appliance.services.errors import Conflict, InvalidInput
from appliance.services.refund_tips import tips_left
from appliance.storage.models.cash import CashShift, FiscalIntent
from appliance.storage.models.checkout import Sale, SalePayment
from hardware.fiscal import shtrih_protocol as p
from tests.appliance.services.checkout_fixtures import desk, visit  # noqa: F401  (fixtures)
from tests.appliance.services.checkout_fixtures import dies_while
from tests.infra.shtrih_register import ShtrihRegister

D = Decimal


@pytest.fixture
def shift(desk):
    return cash.open_shift(desk, cash.registers()[0].id, D("100000"))


def _tipped_visit(desk, visit, tip: Decimal, method: str = "card", register_id=None) -> Sale:
    """The 150 000 haircut paid with a tip for its master."""
    sale = sales.open_for_booking(desk, visit.id)
    sales.set_tips(desk, sale.id, [(visit.written_items[0].master_id, tip)])
    return checkout.pay(desk, sale.id, [Tender(method, D("150000") + tip)], register_id=register_id).sale


def test_a_mistyped_tip_goes_back_alone_then_the_rest_with_the_whole_check(desk, visit, shift, small_salon):
    master = visit.written_items[0].master_id
    paid = _tipped_visit(desk, visit, D("50000"))  # she meant 5 000
    other = small_salon["masters"][1].id
    with pytest.raises(InvalidInput) as refused:
        refunds.refund(desk, paid.id, [], "typo", tips=[(other, D("1000"))])
    assert refused.value.fields[0][0] == "tips.0.master_id"
    with pytest.raises(InvalidInput) as refused:
        refunds.refund(desk, paid.id, [], "typo", tips=[(master, D("50000.01"))])
    assert refused.value.fields[0][0] == "tips.0.amount"
    with pytest.raises(InvalidInput) as refused:
        refunds.refund(desk, paid.id, [], "typo", tips=[(master, D(30000)), (master, D(30000))])
    assert refused.value.fields[0] == ("tips.1.amount", "is more than is left of the tip (50000.00)")
    assert Sale.select().where(Sale.kind == "return").count() == 0  # nothing half-written

    back = refunds.refund(desk, paid.id, [], "typo: 5 000 meant", tips=[(master, D("45000"))]).sale
    assert (back.kind, back.total, back.tips_total) == ("return", D(0), D("45000"))
    [payment] = SalePayment.select().where(SalePayment.sale == back.id)
    assert (payment.kind, payment.method, payment.amount) == ("return", "card", D("45000"))
    assert tips_left(paid) == {master: D("5000")}
    receipt = receipts.receipt_of(back)
    assert receipt.lines == () and [t.amount for t in receipt.tips] == [D("45000")]
    assert shift_reports.figures(CashShift.get_by_id(shift.id)).tips == D("5000")

    # The whole check later (the client complained): the haircut and what is left of the tip.
    rest = refunds.refund(desk, paid.id, [], "complaint").sale
    assert (rest.total, rest.tips_total) == (D("150000"), D("5000"))
    assert SalePayment.get(SalePayment.sale == rest.id).amount == D("155000")
    assert shift_reports.figures(CashShift.get_by_id(shift.id)).tips == D(0)
    with pytest.raises(Conflict) as nothing:
        refunds.refund(desk, paid.id, [], "again")
    assert nothing.value.code == "nothing_to_return"


def test_lines_alone_leave_the_tip_and_naming_nothing_is_refused(desk, visit, shift):
    paid = _tipped_visit(desk, visit, D("20000"))
    [line] = sales.lines_of(paid)
    back = refunds.refund(desk, paid.id, [(line.id, D(1))], "redone for free").sale
    assert (back.total, back.tips_total) == (D("150000"), D(0))
    assert tips_left(paid) == {visit.written_items[0].master_id: D("20000")}
    with pytest.raises(Conflict) as nothing:
        refunds.refund(desk, paid.id, [], "nothing named", tips=[])
    assert nothing.value.code == "nothing_to_return"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(asked=st.lists(st.integers(min_value=1, max_value=30000), min_size=1, max_size=6))
def test_no_sequence_of_tip_refunds_gives_back_more_than_the_tip(desk, small_salon, shift, asked):
    master = small_salon["masters"][0].id
    sale = sales.open_walk_in(desk)
    sales.add_line(desk, sale.id, {"kind": "certificate", "amount": D("1000")})
    sales.set_tips(desk, sale.id, [(master, D("40000"))])
    paid = checkout.pay(desk, sale.id, [Tender("cash", D("41000"))]).sale
    given_back = D(0)
    for amount in asked:
        try:
            given_back += refunds.refund(desk, paid.id, [], "tip", tips=[(master, D(amount))]).sale.tips_total
        except InvalidInput as exc:
            assert exc.fields[0][0] == "tips.0.amount" and given_back + amount > D("40000")
    assert given_back <= D("40000") and tips_left(paid)[master] == D("40000") - given_back
    returned = SalePayment.select().where(SalePayment.refund_of.in_(
        SalePayment.select(SalePayment.id).where(SalePayment.sale == paid.id)))
    assert sum((r.amount for r in returned), D(0)) == given_back


def test_a_tip_on_a_fiscal_return_is_a_line_and_survives_a_crash(desk, visit, system, monkeypatch):
    device = ShtrihRegister().start()
    try:
        register = cash.save_register(system, {"name": "Fiscal", "driver": "shtrih_m", "address": device.address})
        cash.open_shift(desk, register.id, D(0))
        master = visit.written_items[0].master_id
        paid = _tipped_visit(desk, visit, D("30000"), method="cash", register_id=register.id)
        dies_while(monkeypatch, (refunds, "issue_number"), lambda: refunds.refund(
            desk, paid.id, [], "typo", register_id=register.id, tips=[(master, D("25000"))]))
        issued = device.receipts[-1]
        assert issued.kind == p.CHECK_RETURN and issued.lines == [("Tips / Чаевые", D(1), D("25000.00"))]
        [intent] = FiscalIntent.select().where(FiscalIntent.kind == "return")
        assert intent.detail["tips"] == [[master, "25000"]] and intent.detail["lines"] == []
        # Asked again (even for the whole check), the box records what the register issued: the tip alone.
        again = refunds.refund(desk, paid.id, [], "typed again", register_id=register.id).sale
        assert (again.total, again.tips_total, again.fiscal_document) == (D(0), D("25000"), "2")
        assert len(device.receipts) == 2 and tips_left(paid) == {master: D("5000")}
    finally:
        device.stop()
