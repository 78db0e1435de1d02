"""Documents rendered to ESC/POS and read back: lines, totals, barcodes, QR codes, images and cuts."""
import base64
import io
from datetime import datetime, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image as PilImage

from appliance.domain.label_layout import ProductLabel, product_label
from appliance.domain.print_document import Barcode, Columns, Image, QrCode, Text, document, fit_columns, wrap
from appliance.domain.receipt_layout import Payment, SaleLine, SaleReceipt, SalonHeader, sale_receipt
from hardware.printing.escpos_render import FRAGMENT_HEIGHT, render
from hardware.printing.profiles import load_profile
from tests.infra.escpos_printer import decode

TASHKENT = SalonHeader("Salon Gʻuncha", "Asia/Tashkent", "UZS", "uz", address="Toshkent, Oʻzbekiston")
MOSCOW = SalonHeader("Салон «Лотос»", "Europe/Moscow", "RUB", "ru", phone="+7 495 000-00-00")


def receipt(lines, payments, **extra) -> SaleReceipt:
    return SaleReceipt("A-17", datetime(2026, 3, 8, 7, 30, tzinfo=timezone.utc), tuple(lines), tuple(payments),
                       cashier="Dilnoza", qr_data="https://salon.example/r/A-17", **extra)


@pytest.mark.parametrize("profile,paper,width", [("TM-T88V", 80, 42), ("TM-T20II", 80, 48), ("TM-T88IV", 80, 42)])
def test_a_receipt_reads_back_line_by_line_with_its_totals(profile, paper, width):
    sale = receipt([SaleLine("Soch olish", Decimal(1), Decimal(150000)),
                    SaleLine("Shampun", Decimal(2), Decimal(45000), discount=Decimal(5000))],
                   [Payment("cash", Decimal(200000), tendered=Decimal(250000)), Payment("card", Decimal(35000))])
    shown = decode(render(sale_receipt(TASHKENT, sale), load_profile(profile, paper)), profile)
    lines = [line.rstrip() for line in shown.lines]
    okina = "‘" if profile != "TM-T88IV" else "'"
    assert lines[0] == f"Salon G{okina}uncha" and lines[1] == f"Toshkent, O{okina}zbekiston"
    assert "Chek № A-17" in lines and "08.03.2026 12:30" in lines  # 07:30 UTC in Tashkent
    assert "  2 x 45 000" + " " * (width - 12 - 6) + "90 000" in lines
    assert "JAMI" + " " * (width - 4 - 7) + "235 000" in lines
    assert "Qaytim" + " " * (width - 6 - 6) + "50 000" in lines
    assert all(len(line) <= width for line in shown.lines)
    assert shown.qr_codes == ["https://salon.example/r/A-17"] and shown.cuts == 1
    assert shown.resets == 1 and len(set(shown.code_pages)) == 1


def test_a_rouble_receipt_prints_kopecks_in_russian():
    sale = receipt([SaleLine("Стрижка женская", Decimal(1), Decimal("2500.50"))],
                   [Payment("card", Decimal("2500.50"))])
    text = decode(render(sale_receipt(MOSCOW, sale), load_profile("TM-T88V")), "TM-T88V").text
    assert "Салон «Лотос»" in text and "Чек № A-17" in text and "08.03.2026 10:30" in text
    assert "ИТОГО" in text and "2 500.50" in text and "Карта" in text


def test_barcodes_and_qr_codes_are_sent_as_printer_commands_with_their_data():
    label = product_label(ProductLabel("Shampun 250 ml", Decimal(45000), "UZS", code="460123456789"))
    shown = decode(render(label, load_profile("TM-T88V")), "TM-T88V")
    assert shown.barcodes == [("EAN13", "4601234567893")]
    assert "45 000 UZS" in shown.text
    other = decode(render(document(Barcode("CODE128", "SALE-2026/17"), QrCode("BK-123456")),
                          load_profile("TM-T20II")), "TM-T20II")
    assert other.barcodes == [("CODE128", "SALE-2026/17")] and other.qr_codes == ["BK-123456"]


def test_a_printer_without_barcode_commands_gets_images_and_text_stays_in_its_page():
    doc = document(Text("Oʻzbekiston"), Barcode("EAN13", "4601234567893"), QrCode("BK-1"), Text("Ещё"))
    shown = decode(render(doc, load_profile("POS-5890", 58)), "POS-5890")
    assert shown.barcodes == [] and shown.qr_codes == [] and shown.images == 2
    assert [line for line in shown.lines if line.strip()] == ["O‘zbekiston", "Ещё"]
    assert set(shown.code_pages) == {73}


def test_a_tall_image_goes_in_fragments():
    picture = PilImage.new("1", (300, FRAGMENT_HEIGHT * 3 + 10), 1)
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    doc = document(Image(base64.b64encode(buffer.getvalue()).decode()))
    assert decode(render(doc, load_profile("POS-5890", 58)), "POS-5890").images == 4


def test_large_text_wraps_at_half_the_width():
    shown = decode(render(document(Text("Bir ikki uch toʻrt besh olti", size="large")),
                          load_profile("POS-5890", 58)), "POS-5890")
    assert all(len(line) <= 16 for line in shown.lines)


@given(left=st.text(alphabet="abc Ж ʻ", max_size=80), right=st.text(alphabet="0123456789 ", max_size=50),
       width=st.integers(min_value=8, max_value=64))
def test_two_column_lines_never_exceed_the_width_and_keep_every_character(left, right, width):
    lines = fit_columns(left, right, width)
    assert all(len(line) == width for line in lines)
    assert "".join(lines).replace(" ", "") == (left + right).replace(" ", "")
    if len(right) < width:
        assert lines[-1].endswith(right)


@given(text=st.text(alphabet="ab cd\n", max_size=120), width=st.integers(min_value=1, max_value=40))
def test_wrapped_text_fits_the_line_and_loses_nothing(text, width):
    lines = wrap(text, width)
    assert all(len(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "").replace("\n", "")


def test_columns_text_is_fitted_after_the_page_fallbacks():
    shown = decode(render(document(Columns("Итог…", "100")), load_profile("TM-T88IV")), "TM-T88IV")
    assert shown.lines == ["Итог..." + " " * (42 - 10) + "100"]
