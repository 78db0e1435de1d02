"""Suppliers (IN3), warehouses (IN2), cost card overview (SV2) and the alert counts (IN7) as use cases."""
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from appliance.services import stock, stock_catalogue as catalogue, stock_reports as reports, suppliers
from appliance.services.errors import Conflict, InvalidInput
from appliance.services.stock import LineIn
from appliance.services.stock_ledger import default_warehouse
from appliance.storage.database import write_transaction
from appliance.storage.models.base import AuditLog
from tests.appliance.services.stock_fixtures import goods  # noqa: F401


def test_supplier_balance_after_receipts_and_payments(goods, system):
    henkel = catalogue.save_supplier(system, {"name": "Henkel", "phone": "+998901112233"})
    other = catalogue.save_supplier(system, {"name": "Aroma"})
    stock.receive(system, [LineIn(goods["shampoo"].id, Decimal(4), unit_cost=Decimal(50000))],
                  supplier_id=henkel.id, supplier_ref="INV-1", paid=Decimal(50000))
    stock.receive(system, [LineIn(goods["dye"].id, Decimal(1), unit_cost=Decimal(90000))], supplier_id=henkel.id)
    stock.receive(system, [LineIn(goods["shampoo"].id, Decimal(1), unit_cost=Decimal(40000))],
                  supplier_id=other.id)
    week_ago = datetime.now(timezone.utc) - timedelta(days=7)
    catalogue.pay_supplier(system, henkel.id, Decimal(100000), "cash", at=datetime.now(timezone.utc))
    assert suppliers.supplier_balance(henkel.id) == Decimal(290000 - 150000)
    rows = {r.supplier.name: r for r in suppliers.suppliers_with_balances()}
    assert (rows["Henkel"].received, rows["Henkel"].paid, rows["Henkel"].balance) == (290000, 150000, 140000)
    assert rows["Aroma"].balance == 40000 and list(rows) == ["Aroma", "Henkel"]
    # A payment dated in the past comes first in the statement; the balance runs line by line.
    catalogue.pay_supplier(system, henkel.id, Decimal(10000), "advance", at=week_ago)
    lines = suppliers.statement(henkel.id)
    assert [(l.kind, l.received, l.paid, l.balance) for l in lines] == [
        ("payment", 0, 10000, -10000), ("receipt", 200000, 50000, 140000), ("receipt", 90000, 0, 230000),
        ("payment", 0, 100000, 130000)]
    assert lines[1].reference == "INV-1" and lines[-1].reference == "cash"
    assert suppliers.supplier_balance(henkel.id) == 130000
    paid = AuditLog.select().where(AuditLog.action == "supplier.paid").order_by(AuditLog.id)
    assert [a.details["amount"] for a in paid] == ["100000", "10000"]


def test_supplier_changes_are_audited_and_payments_checked(salon, system):
    supplier = catalogue.save_supplier(system, {"name": "  Henkel "})
    assert supplier.name == "Henkel"
    catalogue.save_supplier(system, {"phone": "+998900000000", "active": False}, supplier.id)
    actions = [a.action for a in AuditLog.select().where(AuditLog.entity == "supplier").order_by(AuditLog.id)]
    assert actions == ["supplier.created", "supplier.changed"]
    assert suppliers.suppliers_with_balances() == []
    assert [r.supplier.name for r in suppliers.suppliers_with_balances(include_inactive=True)] == ["Henkel"]
    with pytest.raises(InvalidInput):
        catalogue.save_supplier(system, {"name": " "})
    with pytest.raises(InvalidInput):
        catalogue.pay_supplier(system, supplier.id, Decimal(0))
    with pytest.raises(InvalidInput) as future:
        catalogue.pay_supplier(system, supplier.id, Decimal(5000), at=datetime.now(timezone.utc) + timedelta(days=1))
    assert future.value.fields[0][0] == "at"


def test_warehouse_deactivation_refused_while_it_holds_stock(goods, system):
    with write_transaction():
        retail = default_warehouse("retail")
    back = catalogue.save_warehouse(system, {"name": "Back room", "purpose": "retail"})
    stock.receive(system, [LineIn(goods["shampoo"].id, Decimal(2))], warehouse_id=back.id)
    with pytest.raises(Conflict) as refused:
        catalogue.save_warehouse(system, {"active": False}, back.id)
    assert refused.value.code == "warehouse_not_empty"
    stock.transfer(system, back.id, retail.id, [LineIn(goods["shampoo"].id, Decimal(2))])
    assert not catalogue.warehouse_holds_stock(back.id)
    renamed = catalogue.save_warehouse(system, {"name": "Store room", "active": False}, back.id)
    assert (renamed.name, renamed.active) == ("Store room", False)
    with pytest.raises(Conflict) as default:
        catalogue.save_warehouse(system, {"active": False}, retail.id)
    assert default.value.code == "default_warehouse"
    assert [w.name for w in catalogue.warehouses()] == ["Materials", "Retail shelf"]


def test_alert_counts_match_the_lists(goods, system):
    today = date(2026, 3, 1)
    # No stock at all: both products (levels 2 pcs and 500 ml) are low.
    assert reports.low_stock_count() == len(reports.low_stock()) == 2
    stock.receive(system, [LineIn(goods["shampoo"].id, Decimal(5)),
                           LineIn(goods["dye"].id, Decimal(1), lot_code="A", expires_on=today + timedelta(days=10)),
                           LineIn(goods["dye"].id, Decimal(1), lot_code="B", expires_on=today + timedelta(days=90))])
    assert reports.low_stock_count() == len(reports.low_stock()) == 0
    assert reports.expiring_count(today, 30) == len(reports.expiring(today, 30)) == 1
    stock.sell(system, "sale-1", [(goods["shampoo"].id, Decimal(3))])  # 2 left: at the level
    assert reports.low_stock_count() == 1 and [r.product for r in reports.low_stock()] == ["Shampoo"]


def test_services_with_cost_cards(small_salon, goods, system):
    rows = dict((s.name, n) for s, n in catalogue.services_with_cost_cards())
    assert rows == {"Haircut": 0, "Laser": 0}
    cut = small_salon["cut"]
    catalogue.set_cost_card(system, cut.id, [(goods["dye"].id, Decimal(30)), (goods["shampoo"].id, Decimal(1))])
    assert dict((s.name, n) for s, n in catalogue.services_with_cost_cards()) == {"Haircut": 2, "Laser": 0}
