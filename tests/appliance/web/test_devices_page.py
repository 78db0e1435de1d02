"""The Devices page (KI3): printers with their state, readers seen, the queue; test print end to end."""
import pytest

from appliance.domain.print_document import Text, document
from appliance.print_worker import PrintWorker
from appliance.services import device_states, print_queue, printers
from appliance.services.context import Actor
from appliance.services.staff import create_staff
from appliance.storage.models.base import AuditLog
from appliance.storage.models.printing import Printer, PrintJob
from tests.appliance.web.conftest import screenshot
from tests.appliance.web.conftest import sign_in as browser_sign_in
from tests.appliance.web.form_client import field_block, sign_in
from tests.infra.escpos_printer import TcpPrinter, decode

NETWORK = {"name": "Kassa", "role": "receipt", "connection": "network", "address": "127.0.0.1:9100",
           "profile": "TM-T88V", "paper_width_mm": "80", "code_page": "auto"}


@pytest.fixture
def endpoint():
    printer = TcpPrinter().start()
    yield printer
    printer.close()


def test_a_manager_adds_a_printer_and_bad_fields_are_named_next_to_them(app, salon):
    browser = sign_in(app, "manager")
    refused = browser.post("/devices/printers", {**NETWORK, "name": "", "address": "not an address:x",
                                                 "profile": "no-such-model"})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Fill this in." in field_block(html, "name")
    assert "Enter an address like 192.168.1.50:9100." in field_block(html, "address")
    assert "Choose one of the offered values." in field_block(html, "profile")
    no_cyrillic = browser.post("/devices/printers", {**NETWORK, "profile": "TM-T88IV", "code_page": "CP1251"})
    assert "no Cyrillic code page" in field_block(no_cyrillic.get_data(as_text=True), "code_page")
    assert Printer.select().count() == 0
    assert browser.post("/devices/printers", NETWORK).status_code == 302
    printer = Printer.get()
    assert (printer.name, printer.address, printer.paper_width_mm) == ("Kassa", "127.0.0.1:9100", 80)
    edited = browser.post(f"/devices/printers/{printer.id}", {**NETWORK, "name": "Kassa 2", "paper_width_mm": "58",
                                                               "active": "1"})
    assert edited.status_code == 302 and Printer.get_by_id(printer.id).paper_width_mm == 58
    assert browser.post(f"/devices/printers/{printer.id}/deactivate", {}).status_code == 302
    assert Printer.get_by_id(printer.id).active is False
    actions = [a.action for a in AuditLog.select().where(AuditLog.entity == "printer").order_by(AuditLog.id)]
    assert actions == ["printer.created", "printer.updated", "printer.deactivated"]


def test_an_administrator_sees_states_and_may_print_but_not_manage(app, salon):
    printer = printers.create_printer(Actor.system(), {**NETWORK, "paper_width_mm": 80})
    device_states.report("printer", printer.id, "paper_out", "paper end sensor")
    device_states.report("reader", "ACS ACR122U 00 00", "ready", "")
    job = print_queue.enqueue(Actor.system(), "receipt", document(Text("A-9")), "receipt", "Receipt A-9")
    PrintJob.update(state="failed-retrying", attempts=3, last_error="127.0.0.1:9100: Connection refused").where(
        PrintJob.id == job.id).execute()
    browser = sign_in(app, "administrator")
    html = browser.get("/devices").get_data(as_text=True)
    assert 'href="/devices"' in browser.get("/journal").get_data(as_text=True)
    assert "out of paper" in html and "ACS ACR122U 00 00" in html
    assert "Receipt A-9" in html and "failed, will retry" in html and "Connection refused" in html
    assert f'action="/devices/printers/{printer.id}/test"' in html and 'id="printer-form"' not in html
    assert browser.post("/devices/printers", NETWORK).status_code == 403
    assert browser.post(f"/devices/jobs/{job.id}/cancel", {}).status_code == 302
    assert PrintJob.get_by_id(job.id).state == "cancelled"
    assert browser.post(f"/devices/printers/{printer.id}/test", {}).status_code == 302
    assert PrintJob.select().where(PrintJob.kind == "test").count() == 1


def test_a_master_does_not_see_the_page(app, salon):
    browser = sign_in(app, "master")
    assert browser.get("/devices").status_code == 403
    assert 'href="/devices"' not in browser.get("/journal").get_data(as_text=True)


def test_in_the_browser_a_new_network_printer_prints_the_test_page(page, live, app, endpoint):
    create_staff(Actor.system(), {"first_name": "Malika", "role": "manager", "username": "malika",
                                  "password": "Manager-pass-1"})
    browser_sign_in(page, "malika", "Manager-pass-1")
    page.goto(page.base + "/devices")
    form = page.locator("#printer-form")
    form.locator("input[name=name]").fill("Kassa")
    form.locator("input[name=address]").fill(endpoint.address)
    form.locator("select[name=profile]").select_option("TM-T88V")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/devices#p-*")
    row = page.locator("#printers tbody tr", has_text="Kassa")
    row.locator("button", has_text="Тест").click()
    page.wait_for_url("**/devices#queue")
    worker = PrintWorker(poll_s=0.05, probe_s=0.2).start()  # the print service, on the same data folder
    try:
        assert endpoint.wait_for(lambda e: len(e.jobs()) == 1)
        job = PrintJob.get()
        for _ in range(100):
            if PrintJob.get_by_id(job.id).state == "done":
                break
            page.wait_for_timeout(100)
        page.reload()
        assert page.locator(f"#job-{job.id}").get_attribute("data-state") == "done"
        screenshot(page, "devices-ru")
    finally:
        worker.stop()
    shown = decode(endpoint.jobs()[0], "TM-T88V")
    words = " ".join(line.strip() for line in shown.lines)  # long lines wrap at 42 characters
    assert "Пробная страница" in shown.lines and "Kassa" in shown.lines
    assert "Съешь же ещё этих мягких французских булок, да выпей чаю. № 1" in words
    assert "O‘zbekiston, g‘isht, G‘ O‘; o‘g‘il, o‘g‘il; ma’lumot" in words
    assert shown.barcodes == [("EAN13", "4601234567893")] and shown.qr_codes and shown.cuts == 1
