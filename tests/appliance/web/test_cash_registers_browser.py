"""In Chromium, in Russian (PO2): a manager adds a ШТРИХ-М register, is told next to the field what is
wrong with its address, checks the device while it answers and after it stops, and retires a register."""
from appliance.services.context import Actor
from appliance.services.staff import create_staff
from appliance.storage.models.cash import CashRegister
from tests.appliance.web.conftest import screenshot, sign_in
from tests.infra.shtrih_register import ShtrihRegister

MANAGER_PASSWORD = "Manager-pass-1"


def _register_row(page, name):
    """The row whose register link reads exactly ``name`` (a plain text match would find "1" in an address)."""
    return page.locator("#registers tbody tr").filter(has=page.get_by_role("link", name=name, exact=True))


def test_a_manager_adds_checks_and_retires_registers_in_russian(page, small_salon):
    create_staff(Actor.system(), {"first_name": "Malika", "role": "manager", "username": "malika",
                                  "password": MANAGER_PASSWORD, "locale": "ru"})
    device = ShtrihRegister().start()
    try:
        sign_in(page, "malika", MANAGER_PASSWORD)
        page.goto(page.base + "/cash")
        page.click("#registers-link")
        page.wait_for_url("**/cash/registers")
        assert page.inner_text("h1") == "Кассы"
        assert page.inner_text("#register-form h2") == "Добавить кассу"

        form = page.locator("#register-form")
        form.locator("input[name=name]").fill("Касса 2")
        form.locator("select[name=driver]").select_option("shtrih_m")
        form.locator("input[name=address]").fill("нет порта")
        form.locator("button.primary").click()
        address = page.locator("#register-form label.field", has=page.locator("input[name=address]"))
        address.locator(".error").wait_for()
        assert "has-error" in address.get_attribute("class")
        assert "host:port" in address.inner_text()
        assert page.locator("#register-form input[name=name]").input_value() == "Касса 2"  # nothing typed is lost
        assert CashRegister.select().where(CashRegister.name == "Касса 2").count() == 0

        page.locator("#register-form input[name=address]").fill(device.address)
        page.locator("#register-form button.primary").click()
        row = _register_row(page, "Касса 2")
        row.wait_for()
        assert device.address in row.inner_text()

        row.locator("button.check-device").click()
        answer = _register_row(page, "Касса 2").locator(".device-answer")
        answer.wait_for()
        assert answer.inner_text() == "Готово: смена открыта" and "flash-success" in answer.get_attribute("class")
        screenshot(page, "cash-registers-ready")
        device.stop()
        _register_row(page, "Касса 2").locator("button.check-device").click()
        answer = _register_row(page, "Касса 2").locator(".device-answer.flash-error")
        answer.wait_for()
        assert answer.inner_text().startswith("Не готово: нет связи: касса включена и адрес верный?")
        assert device.address in answer.locator(".device-detail").inner_text()  # the technician's detail
    finally:
        device.stop()

    _register_row(page, "1").locator("text=Вывести из работы").click()
    retired = _register_row(page, "1")
    retired.locator("text=не в работе").wait_for()
    assert "muted" in retired.get_attribute("class")
    assert not CashRegister.get(CashRegister.name == "1").active
    assert CashRegister.get(CashRegister.name == "Касса 2").active
