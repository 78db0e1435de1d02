"""Stock documents (IN2-IN5): receipts, transfers, write-offs, sales, returns, negative stock, lots."""
from datetime import date
from decimal import Decimal

import pytest

from appliance.services import stock, stock_catalogue as catalogue
from appliance.services.errors import Conflict, InvalidInput
from appliance.services.stock import LineIn
from appliance.services.stock_ledger import balance, default_warehouse
from appliance.storage.database import write_transaction
from appliance.storage.models.base import AuditLog, ChangeLog
from appliance.storage.models.stock_ledger import StockDocument, StockLot, StockMovement
from tests.appliance.services.stock_fixtures import goods  # noqa: F401


def on_hand(product, purpose="retail"):
    with write_transaction():
        return balance(default_warehouse(purpose).id, product.id)


def test_receipt_puts_stock_in_with_lots_and_payable(goods, system):
    supplier = catalogue.save_supplier(system, {"name": "Loreal UZ"})
    doc = stock.receive(system, [LineIn(goods["shampoo"].id, Decimal(10), unit_cost=Decimal(50000)),
                                 LineIn(goods["dye"].id, Decimal(2), unit_cost=Decimal(90000), lot_code="L1",
                                        expires_on=date(2027, 1, 31))],
                        supplier_id=supplier.id, supplier_ref="INV-7", paid=Decimal(300000))
    assert doc.total_cost == Decimal(680000) and doc.paid == Decimal(300000)
    assert on_hand(goods["shampoo"]) == 10 and on_hand(goods["dye"]) == 2000  # 2 bottles = 2000 ml
    lot = StockLot.get(StockLot.product == goods["dye"].id)
    assert (lot.code, lot.expires_on, lot.remaining) == ("L1", date(2027, 1, 31), Decimal(2000))
    assert AuditLog.select().where(AuditLog.action == "stock.receipt").count() == 1
    assert ChangeLog.select().where(ChangeLog.entity == "stock_movement").count() == 2


def test_transfer_moves_stock_and_its_lots(goods, system):
    stock.receive(system, [LineIn(goods["dye"].id, Decimal(3), lot_code="A", expires_on=date(2027, 5, 1))])
    retail, materials = default_warehouse("retail"), default_warehouse("materials")
    stock.transfer(system, retail.id, materials.id, [LineIn(goods["dye"].id, Decimal(1500), unit="base")])
    assert on_hand(goods["dye"]) == 1500 and on_hand(goods["dye"], "materials") == 1500
    moved = StockLot.get((StockLot.warehouse == materials.id))
    assert (moved.code, moved.expires_on, moved.remaining) == ("A", date(2027, 5, 1), Decimal(1500))
    with pytest.raises(InvalidInput) as error:
        stock.transfer(system, retail.id, retail.id, [LineIn(goods["dye"].id, Decimal(1))])
    assert error.value.fields[0][0] == "to_warehouse_id"


def test_write_off_needs_a_reason_and_draws_first_expiring_lot(goods, system):
    materials = default_warehouse("materials")
    stock.receive(system, [LineIn(goods["dye"].id, Decimal(1), lot_code="late", expires_on=date(2028, 1, 1))],
                  warehouse_id=materials.id)
    stock.receive(system, [LineIn(goods["dye"].id, Decimal(1), lot_code="soon", expires_on=date(2027, 1, 1))],
                  warehouse_id=materials.id)
    with pytest.raises(InvalidInput) as error:
        stock.write_off(system, [LineIn(goods["dye"].id, Decimal(30), unit="base")], reason=" ")
    assert error.value.fields[0][0] == "reason"
    doc = stock.write_off(system, [LineIn(goods["dye"].id, Decimal(1200), unit="base")], reason="spilled")
    parts = sorted((m.lot.code, m.quantity) for m in doc.movements)
    assert parts == [("late", Decimal(-200)), ("soon", Decimal(-1000))]
    assert on_hand(goods["dye"], "materials") == 800


def test_negative_stock_refused_naming_the_product_then_allowed_and_flagged(goods, system):
    stock.receive(system, [LineIn(goods["shampoo"].id, Decimal(1))])
    with pytest.raises(Conflict) as error:
        stock.sell(system, "sale-1", [(goods["shampoo"].id, Decimal(2))])
    assert error.value.code == "insufficient_stock" and "Shampoo" in error.value.message
    assert error.value.conflicts[0]["resource_id"] == goods["shampoo"].id
    assert on_hand(goods["shampoo"]) == 1 and not StockDocument.select().where(StockDocument.kind == "sale").exists()
    catalogue.set_negative_stock(system, "allow")
    doc = stock.sell(system, "sale-1", [(goods["shampoo"].id, Decimal(2))])
    assert doc.went_negative and on_hand(goods["shampoo"]) == -1


def test_sell_rolls_back_with_the_callers_transaction_and_is_idempotent(goods, system):
    stock.receive(system, [LineIn(goods["shampoo"].id, Decimal(5))])
    with pytest.raises(RuntimeError):
        with write_transaction():
            stock.sell(system, "sale-2", [(goods["shampoo"].id, Decimal(1))])
            raise RuntimeError("the payment failed")
    assert on_hand(goods["shampoo"]) == 5
    with write_transaction():
        first = stock.sell(system, "sale-2", [(goods["shampoo"].id, Decimal(2))], client_id="c1", master_id="m1")
    again = stock.sell(system, "sale-2", [(goods["shampoo"].id, Decimal(2))])
    assert again.id == first.id and on_hand(goods["shampoo"]) == 3
    assert {(m.client_id, m.master_id, m.sale_id) for m in first.movements} == {("c1", "m1", "sale-2")}


def test_return_puts_back_no_more_than_was_sold(goods, system):
    stock.receive(system, [LineIn(goods["shampoo"].id, Decimal(5))])
    stock.sell(system, "sale-3", [(goods["shampoo"].id, Decimal(3))])
    stock.return_sale(system, "sale-3", "ret-1", [(goods["shampoo"].id, Decimal(2))])
    assert on_hand(goods["shampoo"]) == 4
    with pytest.raises(InvalidInput) as error:
        stock.return_sale(system, "sale-3", "ret-2", [(goods["shampoo"].id, Decimal(2))])
    assert error.value.fields[0][0] == "lines.0.quantity"
    assert stock.return_sale(system, "sale-3", "ret-1", [(goods["shampoo"].id, Decimal(2))]).kind == "return"
    assert on_hand(goods["shampoo"]) == 4


def test_bad_lines_name_the_field(goods, system):
    with pytest.raises(InvalidInput) as error:
        stock.receive(system, [LineIn(goods["shampoo"].id, Decimal(1)), LineIn(goods["shampoo"].id, Decimal("0.0001"))])
    assert error.value.fields[0][0] == "lines.1.quantity"
    with pytest.raises(InvalidInput) as error:
        stock.receive(system, [LineIn("nope", Decimal(1))])
    assert error.value.fields[0][0] == "lines.0.product_id"
    with pytest.raises(InvalidInput) as error:
        stock.receive(system, [LineIn(goods["shampoo"].id, Decimal(1), expires_on=date(2027, 1, 1))])
    assert error.value.fields[0][0] == "lines.0.expires_on"
    assert StockMovement.select().count() == 0
