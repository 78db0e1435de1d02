"""The checkout, receipt, refund and cash pages through the test client (PO1-PO4): errors next to the field."""
import re

from appliance.storage.models.checkout import Sale
from tests.appliance.services.checkout_fixtures import visit  # noqa: F401  (fixture)
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
