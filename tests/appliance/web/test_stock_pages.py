"""Stock pages (IN1-IN9) through the test client: products, documents with errors by the field, reports, files."""
import io
from decimal import Decimal

from openpyxl import load_workbook

from appliance.services import stock, stock_catalogue as catalogue
from appliance.storage.models.stock import Product
from tests.appliance.web.form_client import field_block, sign_in


def _shampoo(system):
    return catalogue.create_product(system, {"name": "Shampoo", "barcode": "4006381333931", "sku": "SH-1",
                                             "retail_price": Decimal(85000), "low_stock_level": Decimal(2)})


def test_manager_creates_a_product_with_errors_next_to_the_field(app, salon):
    browser = sign_in(app, "manager")
    bad = browser.post("/stock/products/new", {"name": "Mask", "unit": "pcs", "pack_size": "1", "retail_price": "x",
                                               "barcode": "4006381333932", "retail": "1"})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "error" in field_block(html, "retail_price")
    ok = browser.post("/stock/products/new", {"name": "Mask", "unit": "pcs", "pack_size": "1",
                                              "retail_price": "50000", "retail": "1"})
    assert ok.status_code == 302 and Product.get(Product.name == "Mask").retail_price == 50000
    assert "Mask" in browser.get("/stock/products?q=mas").get_data(as_text=True)


def test_receipt_by_barcode_then_write_off_needs_a_reason(app, salon, system):
    shampoo = _shampoo(system)
    browser = sign_in(app, "administrator")
    assert browser.get("/stock/products/new").status_code == 403  # products are stock.manage
    page = browser.get("/stock/documents/receipt").get_data(as_text=True)
    warehouse = page.split('name="warehouse"')[1].split('value="')[2].split('"')[0]
    posted = browser.post("/stock/documents/receipt", {"warehouse": warehouse, "code_0": "4006381333931",
                                                       "qty_0": "3", "unit_0": "pack"})
    assert posted.status_code == 302
    html = browser.get("/stock").get_data(as_text=True)
    assert "Shampoo" in html and "3 pcs" in html
    bad = browser.post("/stock/documents/write_off", {"warehouse": warehouse, "code_0": "SH-1", "qty_0": "1"})
    assert bad.status_code == 422 and "error" in field_block(bad.get_data(as_text=True), "reason")
    unknown = browser.post("/stock/documents/write_off", {"warehouse": warehouse, "code_0": "nope", "qty_0": "1",
                                                          "reason": "x"})
    assert "error" in field_block(unknown.get_data(as_text=True), "code_0")
    too_many = browser.post("/stock/documents/write_off", {"warehouse": warehouse, "code_0": "SH-1", "qty_0": "9",
                                                           "reason": "broken"})
    assert too_many.status_code == 422 and "not enough Shampoo" in too_many.get_data(as_text=True)
    assert browser.post("/stock/documents/write_off", {"warehouse": warehouse, "code_0": "Shampoo", "qty_0": "2",
                                                       "reason": "broken"}).status_code == 302
    assert "1 pcs" in browser.get("/stock").get_data(as_text=True)
    assert shampoo.id


def test_stocktake_report_and_exports(app, salon, system):
    shampoo = _shampoo(system)
    stock.receive(system, [stock.LineIn(shampoo.id, Decimal(5))])
    admin = sign_in(app, "administrator")
    counted = admin.post("/stock/documents/stocktake", {"code_0": "SH-1", "qty_0": "4"})
    assert counted.status_code == 302
    report = admin.get(counted.headers["Location"]).get_data(as_text=True)
    assert "Discrepancy report" in report and "-1" in report and "Approve" not in report
    manager = sign_in(app, "manager")
    assert manager.post(counted.headers["Location"], {"action": "approve"}).status_code == 302
    assert "approved" in manager.get(counted.headers["Location"]).get_data(as_text=True)
    xlsx = admin.get("/stock/reports.xlsx?report=turnover")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet["A1"].value == "Product" and sheet["A2"].value == "Shampoo" and sheet["G2"].value == 4
    csv_text = admin.get("/stock/reports.csv?report=on_hand").data.decode("utf-8-sig")
    assert csv_text.splitlines()[1].startswith("Shampoo;SH-1;4006381333931;")
    assert "Turnover" in admin.get("/stock/reports?report=consumption&by=client").get_data(as_text=True)


def test_master_sees_no_stock(app, salon):
    browser = sign_in(app, "master")
    assert browser.get("/stock").status_code == 403
    assert 'href="/stock"' not in browser.get("/journal").get_data(as_text=True)
