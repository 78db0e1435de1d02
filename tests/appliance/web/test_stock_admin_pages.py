"""Stock set-up pages through the test client: suppliers and payments, warehouses, cost cards, journal alerts."""
from datetime import date, timedelta
from decimal import Decimal

from appliance.services import stock, stock_catalogue as catalogue, suppliers
from appliance.services.stock import LineIn
from appliance.storage.models.base import AuditLog
from appliance.storage.models.stock import Supplier, Warehouse
from tests.appliance.services.stock_fixtures import goods  # noqa: F401
from tests.appliance.web.form_client import field_block, sign_in


def test_manager_adds_a_supplier_and_pays_it_with_errors_next_to_the_field(app, goods, system):
    manager = sign_in(app, "manager")
    bad = manager.post("/stock/suppliers/new", {"name": "", "phone": "+998901112233"})
    assert bad.status_code == 422 and "error" in field_block(bad.get_data(as_text=True), "name")
    created = manager.post("/stock/suppliers/new", {"name": "Henkel", "phone": "+998901112233", "note": ""})
    assert created.status_code == 302
    henkel = Supplier.get(Supplier.name == "Henkel")
    stock.receive(system, [LineIn(goods["shampoo"].id, Decimal(4), unit_cost=Decimal(50000))],
                  supplier_id=henkel.id, supplier_ref="INV-9")
    no_amount = manager.post(f"/stock/suppliers/{henkel.id}/payments", {"amount": "x", "day": "2026-01-01"})
    assert no_amount.status_code == 422 and "error" in field_block(no_amount.get_data(as_text=True), "amount")
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    future = manager.post(f"/stock/suppliers/{henkel.id}/payments", {"amount": "1000", "day": tomorrow})
    assert future.status_code == 422 and "error" in field_block(future.get_data(as_text=True), "day")
    paid = manager.post(f"/stock/suppliers/{henkel.id}/payments",
                        {"amount": "150 000", "day": date.today().isoformat(), "note": "bank transfer"})
    assert paid.status_code == 302
    assert suppliers.supplier_balance(henkel.id) == 50000
    statement = manager.get(f"/stock/suppliers/{henkel.id}").get_data(as_text=True)
    assert "INV-9" in statement and "bank transfer" in statement and "50,000" in statement
    listing = manager.get("/stock/suppliers").get_data(as_text=True)
    assert "Henkel" in listing and "200,000" in listing and "150,000" in listing
    assert AuditLog.select().where(AuditLog.action == "supplier.paid").count() == 1
    deactivated = manager.post(f"/stock/suppliers/{henkel.id}/edit", {"action": "toggle"})
    assert deactivated.status_code == 302 and not Supplier.get_by_id(henkel.id).active
    assert "Henkel" not in manager.get("/stock/suppliers").get_data(as_text=True)
    assert "Henkel" in manager.get("/stock/suppliers?all=1").get_data(as_text=True)


def test_receipt_page_takes_a_supplier(app, goods, system):
    henkel = catalogue.save_supplier(system, {"name": "Henkel"})
    admin = sign_in(app, "administrator")
    form = admin.get(f"/stock/documents/receipt?supplier={henkel.id}").get_data(as_text=True)
    assert f'<option value="{henkel.id}" selected>' in form
    posted = admin.post("/stock/documents/receipt", {"supplier": henkel.id, "code_0": "SH-1", "qty_0": "2",
                                                     "cost_0": "50000", "paid": "30000"})
    assert posted.status_code == 302
    assert suppliers.supplier_balance(henkel.id) == 70000
    too_much = admin.post("/stock/documents/receipt", {"supplier": henkel.id, "code_0": "SH-1", "qty_0": "1",
                                                       "cost_0": "50000", "paid": "90000"})
    assert too_much.status_code == 422 and "error" in field_block(too_much.get_data(as_text=True), "paid")


def test_administrator_sees_but_does_not_manage_and_master_is_refused(app, goods, system):
    henkel = catalogue.save_supplier(system, {"name": "Henkel"})
    admin = sign_in(app, "administrator")
    for path in ("/stock/suppliers", f"/stock/suppliers/{henkel.id}", "/stock/warehouses", "/stock/cost-cards"):
        page = admin.get(path)
        assert page.status_code == 200, path
        assert "Record a payment" not in page.get_data(as_text=True)
    assert admin.get("/stock/suppliers/new").status_code == 403
    assert admin.post(f"/stock/suppliers/{henkel.id}/payments", {"amount": "1", "day": "2026-01-01"}).status_code == 403
    assert admin.post("/stock/warehouses", {"name": "Back", "purpose": "retail"}).status_code == 403
    master = sign_in(app, "master")
    for path in ("/stock/suppliers", f"/stock/suppliers/{henkel.id}", "/stock/warehouses", "/stock/cost-cards"):
        assert master.get(path).status_code == 403, path


def test_warehouses_add_rename_and_deactivation_refused_with_stock(app, goods, system):
    manager = sign_in(app, "manager")
    page = manager.get("/stock/warehouses").get_data(as_text=True)
    assert "Retail shelf" in page and "default for sales" in page and "default for visits" in page
    bad = manager.post("/stock/warehouses", {"name": "", "purpose": "retail"})
    assert bad.status_code == 422 and "error" in field_block(bad.get_data(as_text=True).split('id="warehouse-form"')[1],
                                                             "name")
    assert manager.post("/stock/warehouses", {"name": "Back room", "purpose": "retail"}).status_code == 302
    back = Warehouse.get(Warehouse.name == "Back room")
    stock.receive(system, [LineIn(goods["shampoo"].id, Decimal(2))], warehouse_id=back.id)
    refused = manager.post(f"/stock/warehouses/{back.id}", {"action": "toggle", "name": "Back room"})
    assert refused.status_code == 409
    assert "still holds stock" in refused.get_data(as_text=True) and Warehouse.get_by_id(back.id).active
    empty_name = manager.post(f"/stock/warehouses/{back.id}", {"action": "rename", "name": " "})
    assert empty_name.status_code == 422 and 'aria-invalid="true"' in empty_name.get_data(as_text=True)
    assert manager.post(f"/stock/warehouses/{back.id}", {"action": "rename", "name": "Store"}).status_code == 302
    assert Warehouse.get_by_id(back.id).name == "Store"
    retail = Warehouse.get((Warehouse.is_default == True) & (Warehouse.purpose == "retail"))  # noqa: E712
    stock.transfer(system, back.id, retail.id, [LineIn(goods["shampoo"].id, Decimal(2))])
    assert manager.post(f"/stock/warehouses/{back.id}", {"action": "toggle"}).status_code == 302
    assert not Warehouse.get_by_id(back.id).active


def test_cost_card_editor(app, small_salon, goods, system):
    cut = small_salon["cut"]
    manager = sign_in(app, "manager")
    listing = manager.get("/stock/cost-cards?show=without").get_data(as_text=True)
    assert "Haircut" in listing and "no cost card" in listing
    bad = manager.post(f"/stock/cost-cards/{cut.id}", {"count": "3", "product_0": goods["dye"].id, "qty_0": "abc",
                                                       "product_1": "", "qty_1": "5"})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "error" in field_block(html, "qty_0") and "error" in field_block(html, "product_1")
    ok = manager.post(f"/stock/cost-cards/{cut.id}", {"count": "3", "product_0": goods["dye"].id, "qty_0": "30",
                                                      "product_1": goods["shampoo"].id, "qty_1": "0,5"})
    assert ok.status_code == 302
    assert {(l.product_id, l.quantity) for l in catalogue.cost_card(cut.id)} == {(goods["dye"].id, 30),
                                                                                  (goods["shampoo"].id, Decimal("0.5"))}
    assert "2 materials" in manager.get("/stock/cost-cards?show=with").get_data(as_text=True)
    editor = manager.get(f"/stock/cost-cards/{cut.id}").get_data(as_text=True)
    assert 'value="30"' in editor and "ml" in editor
    admin = sign_in(app, "administrator")
    assert admin.get(f"/stock/cost-cards/{cut.id}").status_code == 200
    assert admin.post(f"/stock/cost-cards/{cut.id}", {"count": "1"}).status_code == 403


def test_journal_alert_strip_and_menu_badge(app, goods, system):
    admin = sign_in(app, "administrator")
    journal = admin.get("/journal").get_data(as_text=True)  # nothing in stock: both products are low
    assert "2 products at or below their low-stock level" in journal and 'id="stock-badge"' in journal
    assert "expire within" not in journal
    stock.receive(system, [LineIn(goods["shampoo"].id, Decimal(5)),
                           LineIn(goods["dye"].id, Decimal(2), lot_code="A",
                                  expires_on=date.today() + timedelta(days=5))])
    journal = admin.get("/journal").get_data(as_text=True)
    assert "low-stock level" not in journal and "1 lot expires within 30 days" in journal
    assert 'href="/stock#expiring"' in journal
    assert 'id="expiring"' in admin.get("/stock").get_data(as_text=True)
    master = sign_in(app, "master")
    assert 'id="stock-alerts"' not in master.get("/journal").get_data(as_text=True)


def test_no_strip_without_alerts(app, salon):
    admin = sign_in(app, "administrator")
    journal = admin.get("/journal").get_data(as_text=True)
    assert 'id="stock-alerts"' not in journal and 'id="stock-badge"' not in journal


def test_pages_in_russian_and_uzbek(app, small_salon, goods, system):
    henkel = catalogue.save_supplier(system, {"name": "Henkel"})
    stock.receive(system, [LineIn(goods["dye"].id, Decimal(1), lot_code="A", expires_on=date.today())],
                  supplier_id=henkel.id)
    words = {"ru": ("Поставщики", "Склады", "Техкарты", "1 товар на критическом остатке"),
             "uz": ("Yetkazib beruvchilar", "Omborlar", "Xarajat kartalari", "1 ta mahsulot kritik qoldiqda")}
    for locale, (suppliers_word, warehouses_word, cards_word, alert) in words.items():
        browser = sign_in(app, "manager" if locale == "ru" else "owner", locale=locale)
        headers = {"Accept-Language": locale}
        pages = {"/stock/suppliers": suppliers_word, f"/stock/suppliers/{henkel.id}": suppliers_word,
                 "/stock/warehouses": warehouses_word, "/stock/cost-cards": cards_word,
                 f"/stock/cost-cards/{small_salon['cut'].id}": cards_word}
        for path, word in pages.items():
            response = browser.client.get(path, headers=headers)
            assert response.status_code == 200 and word in response.get_data(as_text=True), (locale, path)
        journal = browser.client.get("/journal", headers=headers).get_data(as_text=True)
        assert alert in journal, locale
