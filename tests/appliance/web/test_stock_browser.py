"""In Chromium (IN1, IN3, IN4): receive stock by a scanned barcode, see it on hand, write some off with a reason."""
from decimal import Decimal

from appliance.services import stock_catalogue as catalogue
from appliance.services.context import Actor
from tests.appliance.web.conftest import screenshot, sign_in


def test_receive_by_barcode_see_on_hand_and_write_off(page, small_salon):
    catalogue.create_product(Actor.system(), {"name": "Shampoo", "barcode": "4006381333931",
                                              "retail_price": Decimal(85000)})
    sign_in(page)
    page.goto(page.base + "/stock/documents/receipt")
    # A keyboard-wedge scanner types the digits and Enter: the cursor moves to the quantity.
    page.locator("input[name=code_0]").type("4006381333931\n")
    assert page.evaluate("document.activeElement.name") == "qty_0"
    page.keyboard.type("5")
    screenshot(page, "stock-receipt")
    page.click("#stock-document button[type=submit].primary")
    page.wait_for_selector(".flash-success")
    row = page.locator("#on-hand tr", has_text="Shampoo")
    assert "5 pcs" in row.inner_text()

    page.goto(page.base + "/stock/documents/write_off")
    page.select_option("select[name=warehouse]", label="Retail shelf")
    page.fill("input[name=code_0]", "4006381333931")
    page.fill("input[name=qty_0]", "2")
    page.click("#stock-document button[type=submit].primary")  # no reason: refused next to the field
    page.wait_for_selector(".has-error input[name=reason]")
    page.fill("input[name=reason]", "damaged bottle")
    page.click("#stock-document button[type=submit].primary")
    page.wait_for_selector(".flash-success")
    assert "3 pcs" in page.locator("#on-hand tr", has_text="Shampoo").inner_text()
    screenshot(page, "stock-on-hand")
