"""In Chromium (IN3, IN7, SV2): a manager adds a supplier, receives from it, pays part, sets a cost card;
the journal warns of low stock."""
from decimal import Decimal

from appliance.services import stock_catalogue as catalogue
from appliance.services.context import Actor
from appliance.services.staff import create_staff
from tests.appliance.web.conftest import screenshot, sign_in

MANAGER_PASSWORD = "Manager-pass-1"


def test_supplier_receipt_payment_cost_card_and_journal_alert(page, small_salon):
    system = Actor.system()
    create_staff(system, {"first_name": "Malika", "role": "manager", "username": "malika",
                          "password": MANAGER_PASSWORD, "locale": "en"})
    catalogue.create_product(system, {"name": "Shampoo", "barcode": "4006381333931", "retail_price": Decimal(85000),
                                      "low_stock_level": Decimal(5)})
    catalogue.create_product(system, {"name": "Dye", "sku": "DY-7", "unit": "ml", "pack_size": Decimal(1000),
                                      "retail_price": Decimal(120000), "retail": False, "material": True})
    sign_in(page, "malika", MANAGER_PASSWORD)

    page.goto(page.base + "/stock/suppliers")
    page.click("text=New supplier")
    page.fill("#supplier-form input[name=name]", "Henkel")
    page.fill("#supplier-form input[name=phone]", "+998901112233")
    page.click("#supplier-form button.primary")
    page.wait_for_selector(".flash-success")
    page.click("text=Receive goods")
    assert page.locator("select[name=supplier] option:checked").inner_text() == "Henkel"
    page.fill("input[name=code_0]", "4006381333931")
    page.fill("input[name=qty_0]", "3")
    page.fill("input[name=cost_0]", "50000")
    page.click("#stock-document button[type=submit].primary")
    page.wait_for_selector(".flash-success")

    page.goto(page.base + "/stock/suppliers")
    page.click("#suppliers >> text=Henkel")
    assert "150,000" in page.inner_text("#supplier-balance")
    page.fill("#payment-form input[name=amount]", "100000")
    page.fill("#payment-form input[name=note]", "cash")
    page.click("#payment-form button.primary")
    page.wait_for_selector(".flash-success")
    assert "50,000" in page.inner_text("#supplier-balance")
    assert page.locator("#statement tbody tr").count() == 2
    screenshot(page, "stock-supplier-statement")

    page.goto(page.base + "/stock/cost-cards?show=without")
    page.click("#cost-cards >> text=Haircut")
    page.select_option("select[name=product_0]", label="Dye (DY-7), ml")
    page.fill("input[name=qty_0]", "30")
    page.click("#cost-card-form button.primary")
    page.wait_for_selector(".flash-success")
    assert "1 material" in page.locator("#cost-cards tr", has_text="Haircut").inner_text()

    page.goto(page.base + "/journal")
    strip = page.locator("#stock-alerts")
    assert "1 product at or below its low-stock level" in strip.inner_text()
    assert page.inner_text("#stock-badge") == "1"
    screenshot(page, "journal-stock-alerts")
    strip.locator("a").click()
    page.wait_for_url("**/stock#low-stock")
    assert "Shampoo" in page.inner_text("#low-stock")
