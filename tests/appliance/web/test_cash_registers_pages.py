"""The Registers page (PO2) through the test client: a manager adds, edits, checks and retires registers."""
import re

from appliance.storage.models.base import AuditLog
from appliance.storage.models.cash import CashRegister
from tests.appliance.web.form_client import field_block, sign_in
from tests.infra.shtrih_register import ShtrihRegister


def test_a_manager_adds_a_fiscal_register_checks_it_edits_and_takes_it_out_of_use(app, small_salon):
    desk = sign_in(app, "administrator")
    assert "/cash/registers" not in desk.get("/cash").get_data(as_text=True)
    assert desk.get("/cash/registers").status_code == 403
    manager = sign_in(app, "manager")
    assert 'id="registers-link"' in manager.get("/cash").get_data(as_text=True)
    listing = manager.get("/cash/registers").get_data(as_text=True)
    assert "Non-fiscal" in listing and "Add a register" in listing

    bad = manager.post("/cash/registers", {"name": "Kassa 2", "driver": "shtrih_m", "address": "no port here",
                                           "operator_password": ""})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "host:port" in field_block(html, "address")
    assert 'value="Kassa 2"' in html  # what was typed is kept
    missing = manager.post("/cash/registers", {"name": "Kassa 2", "driver": "shtrih_m", "address": ""})
    assert missing.status_code == 422 and "needs its address" in field_block(missing.get_data(as_text=True),
                                                                             "address")
    wrong = manager.post("/cash/registers", {"name": "Kassa 2", "driver": "epson", "address": "10.0.0.9:7778"})
    assert wrong.status_code == 422 and "error" in field_block(wrong.get_data(as_text=True), "driver")
    port = manager.post("/cash/registers", {"name": "Kassa 2", "driver": "shtrih_m", "address": "10.0.0.9:70000"})
    assert port.status_code == 422 and "host:port" in field_block(port.get_data(as_text=True), "address")
    assert CashRegister.select().count() == 1

    device = ShtrihRegister().start()
    try:
        added = manager.post("/cash/registers", {"name": "Kassa 2", "driver": "shtrih_m",
                                                 "address": device.address, "operator_password": ""})
        assert added.status_code == 302
        register = CashRegister.get(CashRegister.name == "Kassa 2")
        assert (register.driver, register.address, register.operator_password) == ("shtrih_m", device.address, 30)
        checked = manager.post(f"/cash/registers/{register.id}/check", {}).get_data(as_text=True)
        assert re.search(r'class="device-answer[^"]*flash-success[^"]*"[^>]*>Ready: the shift is open</p>', checked)
        device.stop()
        down = manager.post(f"/cash/registers/{register.id}/check", {}).get_data(as_text=True)
        assert "Not ready: no connection: is the register on, and is the address right?" in down
        assert re.search(r'<span class="device-detail">\(the fiscal register at [^)]* cannot be reached', down)
    finally:
        device.stop()

    edit = manager.get(f"/cash/registers/{register.id}").get_data(as_text=True)
    assert f'action="/cash/registers/{register.id}"' in edit and 'value="Kassa 2"' in edit
    saved = manager.post(f"/cash/registers/{register.id}", {"name": "Front desk", "driver": "shtrih_m",
                                                             "address": "127.0.0.1:7778", "operator_password": ""})
    assert saved.status_code == 302
    register = CashRegister.get_by_id(register.id)
    assert (register.name, register.address, register.operator_password) == ("Front desk", "127.0.0.1:7778", 30)
    refused = manager.post(f"/cash/registers/{register.id}", {"name": "", "driver": "non_fiscal", "address": "",
                                                               "operator_password": "123456789"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "error" in field_block(html, "name")
    assert "error" in field_block(html, "operator_password")

    manager.post("/cash/open", {"register_id": register.id, "opening_cash": "0"})
    busy = manager.post(f"/cash/registers/{register.id}/deactivate", {})
    assert "open shift" in manager.get(busy.headers["Location"]).get_data(as_text=True)
    assert CashRegister.get_by_id(register.id).active
    first = CashRegister.get(CashRegister.name == "1")
    assert manager.post(f"/cash/registers/{first.id}/deactivate", {}).status_code == 302
    assert not CashRegister.get_by_id(first.id).active
    assert "out of use" in manager.get("/cash/registers").get_data(as_text=True)
    assert AuditLog.select().where(AuditLog.action == "cash_register.saved").count() == 3
