"""The checkout, receipt, refund and cash pages through the test client (PO1-PO4): errors next to the field."""
import re
from decimal import Decimal

from appliance.domain.checkout import Tender
from appliance.services import cash, checkout, sales, stock_catalogue
from appliance.services.refund_tips import tips_left
from appliance.storage.models.checkout import Sale
from tests.appliance.services.checkout_fixtures import SHAMPOO_BARCODE, desk, shampoo, visit  # noqa: F401
from tests.appliance.web.form_client import field_block, sign_in


def test_a_visit_is_checked_out_on_the_pages_and_refunded_by_a_manager(app, small_salon, visit):
    desk = sign_in(app, "administrator")
    assert "Cash" in desk.get("/journal").get_data(as_text=True)
    opened = desk.post("/cash/open", {"register_id": "", "opening_cash": "abc"})
    assert opened.status_code == 422 and "error" in field_block(opened.get_data(as_text=True), "opening_cash")
    page = desk.get("/cash").get_data(as_text=True)
    register = re.search(r'<option value="([^"]+)">', page).group(1)
    assert desk.post("/cash/open", {"register_id": register, "opening_cash": "50 000"}).status_code == 302
    to_sale = desk.get(f"/checkout/booking/{visit.id}")
    assert to_sale.status_code == 302
    sale_url = to_sale.headers["Location"]
    sale = Sale.get()
    line = sale.lines[0]
    refused = desk.post(f"/checkout/{sale.id}/lines/{line.id}", {"unit_price": "300000", "discount_kind": ""})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "must be from" in field_block(html, "unit_price")
    assert desk.post(f"/checkout/{sale.id}/lines/{line.id}", {"unit_price": "200000", "discount_kind": "percent",
                                                              "discount_value": "10", "discount_reason": "VIP"}
                     ).status_code == 302
    short = desk.post(f"/checkout/{sale.id}/pay", {"card": "100000", "cash_received": "50000"})
    assert short.status_code == 422 and "less than the cash part" in field_block(short.get_data(as_text=True),
                                                                                  "cash_received")
    paid = desk.post(f"/checkout/{sale.id}/pay", {"card": "100000", "cash_received": "100000"})
    assert paid.status_code == 302 and paid.headers["Location"].endswith(f"/receipts/{sale.id}")
    receipt = desk.get(f"/receipts/{sale.id}").get_data(as_text=True)
    assert "000001" in receipt and "Change" in receipt and "20 000" in receipt
    assert desk.get(sale_url).status_code == 302  # a paid sale shows its receipt
    assert desk.get(f"/receipts/{sale.id}/refund").status_code == 403
    manager = sign_in(app, "manager")
    form = manager.get(f"/receipts/{sale.id}/refund").get_data(as_text=True)
    assert f'name="qty-{line.id}"' in form
    missing = manager.post(f"/receipts/{sale.id}/refund", {f"qty-{line.id}": "1", "reason": ""})
    assert missing.status_code == 422 and "error" in field_block(missing.get_data(as_text=True), "reason")
    done = manager.post(f"/receipts/{sale.id}/refund", {f"qty-{line.id}": "1", "reason": "unhappy"})
    assert done.status_code == 302
    back = manager.get(done.headers["Location"]).get_data(as_text=True)
    assert "000002" in back and "000001" in back
    cash_page = desk.get("/cash").get_data(as_text=True)
    assert "000002" in cash_page and "Close the shift" in cash_page
    shift_id = re.search(r'/cash/([^/]+)/z', cash_page).group(1)
    assert desk.post(f"/cash/{shift_id}/z", {}).status_code == 302
    assert "Open a shift" in desk.get("/cash").get_data(as_text=True)


def test_a_product_is_found_by_a_part_of_its_name_or_added_by_its_barcode(app, small_salon, shampoo, system):
    stock_catalogue.create_product(system, {"name": "Shampoo travel", "retail_price": "30000", "retail": False})
    stock_catalogue.create_product(system, {"name": "Hair mask", "retail_price": "120000"})
    desk = sign_in(app, "administrator")
    register = re.search(r'<option value="([^"]+)">', desk.get("/cash").get_data(as_text=True)).group(1)
    desk.post("/cash/open", {"register_id": register, "opening_cash": "0"})
    sale_url = desk.post("/checkout/new", {}).headers["Location"]
    sale = Sale.get()
    listed = desk.get("/checkout/products?q=shamp").get_data(as_text=True)
    assert listed.count('name="product_id"') == 1 and "Shampoo" in listed and "travel" not in listed  # retail only
    assert "85,000" in listed and "on hand: 10" in listed
    assert "No product" in desk.get("/checkout/products?q=nothing").get_data(as_text=True)
    assert 'name="product_id"' not in desk.get("/checkout/products?q=s").get_data(as_text=True)  # too short

    typed = desk.post(f"/checkout/{sale.id}/add", {"kind": "product", "form": "add", "barcode": "SHAMP",
                                                   "quantity": "2"})
    html = typed.get_data(as_text=True)
    assert typed.status_code == 200 and f'value="{shampoo.id}"' in html and 'value="SHAMP"' in html
    assert not sales.lines_of(sale)
    picked = desk.post(f"/checkout/{sale.id}/add", {"kind": "product", "form": "add", "barcode": "SHAMP",
                                                    "quantity": "2", "product_id": shampoo.id})
    assert picked.status_code == 302 and [(l.name, l.quantity) for l in sales.lines_of(sale)] == [("Shampoo", 2)]
    unknown = desk.post(f"/checkout/{sale.id}/add", {"kind": "product", "form": "add", "barcode": "zzz",
                                                     "quantity": "1"})
    assert unknown.status_code == 422 and "none has it in its name" in field_block(
        unknown.get_data(as_text=True), "barcode")
    gone = desk.post(f"/checkout/{sale.id}/add", {"kind": "product", "form": "add", "product_id": "nope",
                                                  "quantity": "1"})
    assert gone.status_code == 422 and "error" in field_block(gone.get_data(as_text=True), "barcode")
    scanned = desk.post(f"/checkout/{sale.id}/add", {"kind": "product", "form": "add", "barcode": SHAMPOO_BARCODE,
                                                     "quantity": "1"})
    assert scanned.status_code == 302 and len(sales.lines_of(sale)) == 2
    assert "Barcode or name" in desk.get(sale_url).get_data(as_text=True)


def test_a_manager_gives_back_part_of_a_tip_on_the_refund_page(app, small_salon, visit, desk):
    cash.open_shift(desk, cash.registers()[0].id, Decimal(0))
    sale = sales.open_for_booking(desk, visit.id)
    master = visit.written_items[0].master_id
    sales.set_tips(desk, sale.id, [(master, Decimal("50000"))])
    checkout.pay(desk, sale.id, [Tender("card", Decimal("200000"))])
    manager = sign_in(app, "manager")
    form = manager.get(f"/receipts/{sale.id}/refund").get_data(as_text=True)
    assert f'name="tip-{master}"' in form and "Tip for Dilnoza" in form
    too_much = manager.post(f"/receipts/{sale.id}/refund", {f"tip-{master}": "60 000", "reason": "typo"})
    html = too_much.get_data(as_text=True)
    assert too_much.status_code == 422 and "more than is left of the tip" in field_block(html, f"tip-{master}")
    nothing = manager.post(f"/receipts/{sale.id}/refund", {"reason": "typo"})
    assert nothing.status_code == 422 and "Choose at least one line or tip" in nothing.get_data(as_text=True)
    done = manager.post(f"/receipts/{sale.id}/refund", {f"tip-{master}": "45 000", "reason": "typo"})
    assert done.status_code == 302
    assert tips_left(Sale.get_by_id(sale.id)) == {master: Decimal("5000")}
    back = manager.get(done.headers["Location"]).get_data(as_text=True)
    assert "Refunded 45,000\u00a0UZS." in back  # lines and tips, in the salon's currency
    paper = re.search(r'<pre class="receipt-paper"[^>]*>(.*?)</pre>', back, re.S).group(1)
    assert re.search(r"Tips: Dilnoza +45 000\n<b>REFUNDED +45 000</b>", paper) and "To pay" not in paper
