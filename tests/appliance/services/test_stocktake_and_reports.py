"""Stocktake (IN6), low stock and expiry (IN7), reports and their files (IN8), labels (IN9), products (IN1)."""
import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from appliance.services import printers, stock, stock_catalogue as catalogue, stock_export, stock_reports as reports
from appliance.services.errors import Conflict, InvalidInput, NotFound
from appliance.services.stock import LineIn
from appliance.services.stock_labels import print_labels
from appliance.services.stocktake import approve_stocktake, discrepancy_report, start_stocktake
from appliance.storage.models.base import AuditLog, utc_now
from appliance.storage.models.printing import PrintJob
from tests.appliance.services.stock_fixtures import goods  # noqa: F401


def test_stocktake_posts_differences_after_approval(goods, system):
    stock.receive(system, [LineIn(goods["shampoo"].id, Decimal(10))])
    draft = start_stocktake(system, [LineIn(goods["shampoo"].id, Decimal(7))], reason="month end")
    assert reports.on_hand(text="shampoo")[0].quantity == 10  # nothing moves before approval
    approve_stocktake(system, draft.id)
    [row] = discrepancy_report(draft.id)
    assert (row.expected, row.counted, row.difference, row.value) == (10, 7, -3, Decimal("-150000.00"))
    assert reports.on_hand(text="SH-1")[0].quantity == 7
    with pytest.raises(Conflict):
        approve_stocktake(system, draft.id)


def test_low_stock_and_expiry_reminders(goods, system):
    stock.receive(system, [LineIn(goods["shampoo"].id, Decimal(2)),
                           LineIn(goods["dye"].id, Decimal(1), lot_code="X", expires_on=date.today() + timedelta(days=10))])
    low = {r.product for r in reports.low_stock()}
    assert low == {"Shampoo"}  # 2 pcs at its level 2; dye 1000 ml above 500
    assert [r.code for r in reports.expiring(date.today(), 30)] == ["X"]
    assert reports.expiring(date.today(), 5) == []
    row = next(r for r in reports.on_hand() if r.product == "Dye")
    assert (row.quantity, row.packs, row.low) == (1000, 1, False)


def test_turnover_reconciles_and_exports_read_back(goods, system):
    start = utc_now() - timedelta(seconds=1)
    stock.receive(system, [LineIn(goods["shampoo"].id, Decimal(5))])
    stock.sell(system, "s1", [(goods["shampoo"].id, Decimal(2))])
    [row] = reports.turnover(start, utc_now() + timedelta(seconds=1), product_id=goods["shampoo"].id)
    assert (row.opening, row.incoming, row.outgoing, row.closing) == (0, 5, 2, 3)
    labels = {"product": "Товар", "closing": "Остаток"}
    book = load_workbook(io.BytesIO(stock_export.to_xlsx("turnover", [row], labels)))
    sheet = book.active
    assert sheet["A1"].value == "Товар" and sheet["A2"].value == "Shampoo" and sheet["G2"].value == 3
    text = stock_export.to_csv("turnover", [row], labels).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text), delimiter=";"))[1] == ["Shampoo", "Retail shelf", "pcs", "0", "5",
                                                                     "2", "3"]


def test_products_unique_codes_among_active_and_barcode_lookup(goods, system):
    with pytest.raises(InvalidInput) as error:
        catalogue.create_product(system, {"name": "Copy", "barcode": "4006381333931"})
    assert error.value.fields[0][0] == "barcode"
    with pytest.raises(InvalidInput) as error:
        catalogue.create_product(system, {"name": "Bad", "barcode": "4006381333932"})
    assert "check digit" in error.value.fields[0][1]
    assert stock.product_by_barcode("4006381333931").id == goods["shampoo"].id
    assert stock.product_by_barcode("SH-1").id == goods["shampoo"].id
    catalogue.set_product_active(system, goods["shampoo"].id, False)
    assert stock.product_by_barcode("4006381333931") is None
    catalogue.create_product(system, {"name": "New shampoo", "barcode": "4006381333931"})
    catalogue.update_product(system, goods["dye"].id, {"retail_price": Decimal(130000)})
    assert AuditLog.get(AuditLog.action == "product.prices_changed").details["retail_price"] == ["120000.00",
                                                                                                   "130000"]


def test_labels_go_to_the_label_printer(goods, system):
    with pytest.raises(NotFound):
        print_labels(system, goods["shampoo"].id, 2)
    printers.create_printer(system, {"name": "Labels", "role": "label", "connection": "network",
                                     "address": "10.0.0.9", "profile": "default", "paper_width_mm": 58,
                                     "code_page": "auto"})
    jobs = print_labels(system, goods["shampoo"].id, 3)
    assert [j.title for j in jobs] == ["Shampoo (1/3)", "Shampoo (2/3)", "Shampoo (3/3)"]
    blocks = PrintJob.get_by_id(jobs[0].id).document["blocks"]
    assert {"symbology": "EAN13", "type": "barcode"}.items() <= next(b for b in blocks if b["type"] == "barcode").items()
    assert any("85" in b.get("text", "") for b in blocks)
    with pytest.raises(InvalidInput):
        print_labels(system, goods["shampoo"].id, 0)


def test_supplier_balance(goods, system):
    supplier = catalogue.save_supplier(system, {"name": "Henkel"})
    stock.receive(system, [LineIn(goods["shampoo"].id, Decimal(4), unit_cost=Decimal(50000))],
                  supplier_id=supplier.id, paid=Decimal(50000))
    catalogue.pay_supplier(system, supplier.id, Decimal(100000))
    [row] = reports.supplier_balances()
    assert (row["received"], row["paid"], row["payable"]) == (200000, 150000, 50000)
