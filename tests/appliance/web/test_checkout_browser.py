"""The issue's acceptance in Chromium: a whole day at the register (PO1-PO6, BK7, LY3).

Open a shift; check out two visits (one split between cash and card with
change, one paid partly by a gift certificate sold earlier that day); pick
a product by a part of its name; sell one by its barcode; a manager refunds
one line; close the shift with a Z report whose figures match the payments —
on the page, in the database and in the bytes the receipt printer received.
"""
from decimal import Decimal

import pytest

from appliance.print_worker import PrintWorker
from appliance.services.context import Actor
from appliance.services.staff import create_staff
from appliance.storage.models.bookings import Booking
from appliance.storage.models.cash import CashShift
from appliance.storage.models.checkout import GiftCertificate, Sale, SalePayment
from tests.appliance.services.checkout_fixtures import SHAMPOO_BARCODE, add_printer, book_visit, shampoo  # noqa: F401
from tests.appliance.web.conftest import screenshot, sign_in
from tests.infra.escpos_printer import TcpPrinter, decode

D = Decimal


@pytest.fixture
def printer(small_salon, system):
    endpoint = TcpPrinter().start()
    add_printer(system, endpoint.address)
    worker = PrintWorker(poll_s=0.05, probe_s=0.2).start()
    yield endpoint
    worker.stop()
    endpoint.close()


def pay(page, **amounts):
    """Fill the payment form and pay; lands on the receipt page."""
    for name, value in amounts.items():
        page.fill(f"#pay-form input[name={name}]", value)
    page.click("#pay-button")
    page.wait_for_selector("#receipt-paper")


def test_a_day_at_the_register(page, live, small_salon, shampoo, printer):
    first, second = book_visit(small_salon, 10), book_visit(small_salon, 11, master=1)
    create_staff(Actor.system(), {"first_name": "Malika", "role": "manager", "username": "malika",
                                  "password": "Manager-pass-1"})
    sign_in(page)
    page.click("nav.mainnav a[href='/cash']")
    page.fill("input[name=opening_cash]", "100 000")
    page.click("#open-form button[type=submit]")
    page.wait_for_selector("#shift")

    # Visit 1: a tip for the master, 100 000 by card, the rest in cash from 100 000 handed over.
    page.goto(page.base + f"/checkout/booking/{first.id}")
    page.fill("#tips input[name=amount]", "20000")
    page.click("#tips button[type=submit]")
    page.wait_for_selector("#tips li")
    page.fill("#pay-form input[name=card]", "100000")
    page.fill("#pay-form input[name=cash_received]", "100000")
    assert page.inner_text("#cash-part").replace("\u00a0", " ") == "70 000"
    assert page.inner_text("#change").replace("\u00a0", " ") == "30 000"
    screenshot(page, "checkout-split-payment")
    pay(page)
    assert "000001" in page.inner_text("h1")
    assert Booking.get_by_id(first.id).status == "completed"

    # A gift certificate sold to a walk-in client, paid in cash.
    page.click("nav.mainnav a[href='/cash']")
    page.click("#new-sale")
    page.fill("#money-form input[name=amount]", "100000")
    page.click("#money-form button[value=certificate]")
    page.wait_for_selector("tr[data-kind=certificate]")
    pay(page, cash_received="100000")
    code = GiftCertificate.get().code
    assert code in page.inner_text("#receipt-paper")

    # Visit 2: 100 000 from that certificate, 50 000 by card.
    page.goto(page.base + f"/checkout/booking/{second.id}")
    pay(page, certificate_code=code, certificate="100000", card="50000")
    assert GiftCertificate.get().balance == D(0)

    # A shampoo found by a part of its name and picked from the list (a sale left open, never paid).
    page.click("nav.mainnav a[href='/cash']")
    page.click("#new-sale")
    page.fill("#barcode-form input[name=quantity]", "2")
    page.type("#barcode-form input[name=barcode]", "sham")
    page.wait_for_selector("#product-choices button.product-choice")
    assert "10" in page.inner_text("#product-choices")
    screenshot(page, "checkout-product-by-name")
    page.click("#product-choices button.product-choice")
    page.wait_for_selector("tr[data-kind=product]")
    assert page.inner_text("tr[data-kind=product] td:nth-child(3)") == "2"

    # A shampoo by its barcode (a scanner types it and presses Enter).
    page.click("nav.mainnav a[href='/cash']")
    page.click("#new-sale")
    page.fill("#barcode-form input[name=barcode]", SHAMPOO_BARCODE)
    page.press("#barcode-form input[name=barcode]", "Enter")
    page.wait_for_selector("tr[data-kind=product]")
    pay(page, cash_received="100000")
    product_sale = Sale.get(Sale.number == 4)

    # The manager refunds the shampoo and closes the day.
    page.click(".topbar-end form button")
    sign_in(page, "malika", "Manager-pass-1")
    page.goto(page.base + f"/receipts/{product_sale.id}")
    page.click("#refund-link")
    page.fill(f"input[name=qty-{product_sale.lines[0].id}]", "1")
    page.fill("#refund-form input[name=reason]", "damaged bottle")
    page.click("#refund-button")
    page.wait_for_selector("#receipt-paper")
    assert "000005" in page.inner_text("h1")
    page.click("nav.mainnav a[href='/cash']")
    screenshot(page, "cash-shift")
    page.click("#z-report")
    page.wait_for_selector("#open-form")

    shift = CashShift.get()
    expected = {"cash": ("255000.00", "85000.00"), "card": ("150000.00", "0.00"),
                "certificate": ("100000.00", "0.00")}
    assert {m: (v["sales"], v["returns"]) for m, v in shift.z_totals["by_method"].items()} == expected
    for method, (sold, returned) in expected.items():
        rows = SalePayment.select().where((SalePayment.shift == shift.id) & (SalePayment.method == method))
        assert str(sum((p.amount for p in rows if p.kind == "sale"), D("0.00"))) == sold
        assert str(sum((p.amount for p in rows if p.kind == "return"), D("0.00"))) == returned
    assert shift.z_totals["cash_in_drawer"] == "270000.00" and shift.z_totals["tips"] == "20000.00"

    assert printer.wait_for(lambda p: any("Z-отчёт" in decode(j, "TM-T88V").text for j in p.jobs()))
    z = next(decode(j, "TM-T88V").text for j in printer.jobs() if "Z-отчёт" in decode(j, "TM-T88V").text)
    for figure in ("255 000", "150 000", "100 000", "85 000", "270 000", "20 000"):
        assert figure in z, (figure, z)
    receipts = [decode(j, "TM-T88V").text for j in printer.jobs() if "Чек" in decode(j, "TM-T88V").text]
    assert any("Сдача" in r and "30 000" in r for r in receipts)
