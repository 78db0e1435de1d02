"""Who may use the kiosk pages, and what the kiosk's token may do elsewhere (nothing)."""
from appliance.services import auth
from appliance.storage.models.access import ApiToken
from tests.kiosk_ui.conftest import csrf_of


def test_an_unpaired_screen_is_sent_to_the_pairing_keypad(app, small_salon):
    client = app.test_client()
    response = client.get("/kiosk/phone")
    assert response.status_code == 302 and response.headers["Location"].endswith("/kiosk/pair")
    page = client.get("/kiosk/pair").get_data(as_text=True)
    assert 'name="code"' in page and 'class="keypad"' in page


def test_a_wrong_pairing_code_is_refused_next_to_the_field(app, small_salon):
    client = app.test_client()
    csrf = csrf_of(client.get("/kiosk/pair").get_data(as_text=True))
    response = client.post("/kiosk/pair", data={"code": "000000", "csrf_token": csrf})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="code-error"' in page and 'aria-invalid="true"' in page
    assert "salon_kiosk" not in response.headers.get("Set-Cookie", "")


def test_the_kiosk_cookie_is_http_only_and_strict(app, small_salon, system):
    from appliance.services import kiosk_pairing

    device, _ = auth.enrol_device(system, "Desk")
    code = kiosk_pairing.start_pairing(system, device.id)
    client = app.test_client()
    csrf = csrf_of(client.get("/kiosk/pair").get_data(as_text=True))
    cookie = client.post("/kiosk/pair", data={"code": code, "csrf_token": csrf}).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/kiosk" in cookie


def test_a_paired_kiosk_sees_its_start_page(kiosk_client):
    page = kiosk_client.get("/kiosk/").get_data(as_text=True)
    assert 'data-choice="phone"' in page and 'data-taps-url="/kiosk/taps"' in page


def test_the_kiosk_token_can_do_nothing_but_kiosk_things(kiosk_client, app):
    token = kiosk_client.get_cookie("salon_kiosk", path="/kiosk").value
    api = app.test_client()
    for path in ("/api/v1/clients", "/api/v1/bookings?from=2026-01-01&to=2026-01-02", "/api/v1/staff",
                 "/api/v1/devices"):
        response = api.get(path, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 403, path
    admin_page = app.test_client()
    admin_page.set_cookie("salon_kiosk", token, path="/")
    assert admin_page.get("/journal").status_code == 302


def test_a_staff_token_in_the_kiosk_cookie_is_not_a_kiosk(app, tokens):
    client = app.test_client()
    client.set_cookie("salon_kiosk", tokens["owner"], path="/kiosk")
    response = client.get("/kiosk/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/kiosk/pair")


def test_a_revoked_kiosk_goes_back_to_pairing(kiosk_client, system):
    auth.revoke_device(system, kiosk_client.device.id)
    assert ApiToken.select().where((ApiToken.device == kiosk_client.device.id)
                                   & (ApiToken.revoked == False)).count() == 0  # noqa: E712
    response = kiosk_client.get("/kiosk/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/kiosk/pair")


def test_a_form_without_the_anti_forgery_token_is_refused(kiosk_client):
    assert kiosk_client.post("/kiosk/phone", data={"phone": "901234567"}).status_code == 400


def test_a_bad_phone_is_shown_next_to_the_field(kiosk_client):
    response = kiosk_client.post("/kiosk/phone", data={"phone": "12", "csrf_token": kiosk_client.csrf})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="phone-error"' in page and 'value="12"' in page
