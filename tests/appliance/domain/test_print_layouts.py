"""Receipts, shift reports, visit cards and labels laid out from plain data (KI3)."""
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from appliance.domain.label_layout import ProductLabel, barcode_for, product_label
from appliance.domain.money import MoneyError
from appliance.domain.print_document import (
    Barcode, Columns, Document, DocumentError, QrCode, Text, as_copy, document,
)
from appliance.domain.print_text import amount_text
from appliance.domain.receipt_layout import (
    OriginalReceipt, Payment, ReceiptError, SaleLine, SaleReceipt, SalonHeader, Tip, VisitCard, VisitItem,
    receipt_totals, sale_receipt, visit_card,
)
from appliance.domain.report_layout import MethodTotal, ShiftReport, cash_in_drawer, shift_report

AT = datetime(2026, 3, 8, 7, 30, tzinfo=timezone.utc)
UZ = SalonHeader("Gʻuncha", "Asia/Tashkent", "UZS", "uz")
RU = SalonHeader("Лотос", "Europe/Moscow", "RUB", "ru", tax_id="7701234567")
D = Decimal


def texts(doc: Document) -> list[str]:
    return [b.text if isinstance(b, Text) else f"{b.left} | {b.right}" for b in doc.blocks
            if isinstance(b, (Text, Columns))]


def test_amounts_follow_the_currency_and_finer_ones_are_refused():
    assert amount_text(D("1500000"), "UZS") == "1 500 000"
    assert amount_text(D("1234.5"), "RUB") == "1 234.50" and amount_text(D("-5000"), "UZS") == "-5 000"
    with pytest.raises(MoneyError):
        amount_text(D("150000.50"), "UZS")


def test_totals_with_discounts_tips_and_change():
    sale = SaleReceipt("7", AT, (SaleLine("Cut", D(1), D(150000)), SaleLine("Mask", D(3), D(20000), D(5000))),
                       (Payment("cash", D(200000), tendered=D(220000)), Payment("card", D(20000))),
                       discount=D(5000), tips=(Tip("Olga", D(20000)),))
    totals = receipt_totals(sale, "UZS")
    assert (totals.subtotal, totals.discount, totals.total, totals.tips, totals.to_pay, totals.change) == (
        D(210000), D(10000), D(200000), D(20000), D(220000), D(20000))
    lines = texts(sale_receipt(UZ, sale))
    assert "Choychaqa: Olga | 20 000" in lines and "Toʻlash uchun | 220 000" in lines and "Qaytim | 20 000" in lines
    with pytest.raises(ReceiptError):
        receipt_totals(SaleReceipt("8", AT, sale.lines, (Payment("card", D(1)),)), "UZS")


def test_a_copy_and_a_return_are_marked_and_the_return_names_its_original():
    sale = SaleReceipt("R-2", AT, (SaleLine("Стрижка", D(1), D("2500.50")),), (Payment("card", D("2500.50")),),
                       is_copy=True, original=OriginalReceipt("A-17", datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)))
    lines = texts(sale_receipt(RU, sale))
    assert lines[0] == "*** КОПИЯ ***" and lines[-1] == "*** КОПИЯ ***"
    assert "Чек возврата № R-2" in lines and "к чеку № A-17 01.03.2026 12:00" in lines
    assert "ВОЗВРАТ | 2 500.50" in lines and "INN/STIR 7701234567" in lines


def test_a_reprint_of_a_stored_receipt_gets_the_copy_mark_once_at_each_end():
    sale = SaleReceipt("9", AT, (SaleLine("Cut", D(1), D(100000)),), (Payment("card", D(100000)),), qr_data="X")
    stored = Document.from_json(sale_receipt(UZ, sale).to_json())
    again = as_copy(stored)
    marks = [i for i, b in enumerate(again.blocks) if isinstance(b, Text) and b.text == "*** NUSXA ***"]
    assert len(marks) == 2 and marks[0] == 0 and isinstance(again.blocks[-1], type(stored.blocks[-1]))
    assert as_copy(document(Text("label"))) == document(Text("label"))


def test_shift_reports_count_cash_in_the_drawer():
    report = ShiftReport("Z", 12, AT, datetime(2026, 3, 8, 16, 0, tzinfo=timezone.utc), "Dilnoza",
                         (MethodTotal("cash", D(900000), D(100000)), MethodTotal("card", D(1500000))),
                         sales_count=14, returns_count=1, opening_cash=D(200000), cash_in=D(50000),
                         cash_out=D(300000), tips=D(40000))
    assert cash_in_drawer(report) == D(750000)
    lines = texts(shift_report(UZ, report))
    assert "Z-hisobot (smena yopilishi)" in lines and "Yopildi | 08.03.2026 21:00" in lines
    assert "Kassadagi naqd | 750 000" in lines and "Soni | 14" in lines and "Olib qoʻyildi | -300 000" in lines
    with pytest.raises(ValueError):
        shift_report(UZ, ShiftReport("Y", 1, AT, AT, "", (), 0, 0))


def test_a_visit_card_carries_the_booking_code_as_a_qr_code():
    card = VisitCard("Aziza Karimova", "482913", (VisitItem("Soch olish", "Dilnoza", AT),))
    doc = visit_card(UZ, card)
    assert [b.data for b in doc.blocks if isinstance(b, QrCode)] == ["482913"]
    assert "Usta | Dilnoza" in texts(doc) and "08.03.2026 12:30" in texts(doc)


def test_labels_pick_ean13_or_code128_and_bad_codes_are_refused():
    assert barcode_for("460123456789") == Barcode("EAN13", "4601234567893")
    assert barcode_for("4601234567893") == Barcode("EAN13", "4601234567893")
    assert barcode_for("4601234567890") == Barcode("CODE128", "4601234567890")  # wrong check digit: not EAN
    label = product_label(ProductLabel("Shampun", D(45000), "UZS", code="SKU-17", unit="250 ml"))
    assert [b for b in label.blocks if isinstance(b, Barcode)] == [Barcode("CODE128", "SKU-17")]
    with pytest.raises(DocumentError):
        barcode_for("Кириллица")
    with pytest.raises(DocumentError):
        document(Barcode("EAN13", "4601234567890"))


def test_documents_survive_json_and_unknown_blocks_are_refused():
    doc = sale_receipt(UZ, SaleReceipt("1", AT, (SaleLine("Cut", D(1), D(1000)),), (Payment("cash", D(1000)),)))
    assert Document.from_json(doc.to_json()) == doc
    with pytest.raises(DocumentError):
        Document.from_json({"version": 1, "blocks": [{"type": "beep"}]})
    with pytest.raises(DocumentError):
        Document.from_json({"version": 2, "blocks": []})
