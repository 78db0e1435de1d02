"""Signing in to the head-office pages: errors next to fields, idle timeout, CSRF, roles, language per user (PL2, PL5)."""
import re
from datetime import timedelta

import pytest

from cloud.services import users
from cloud.storage.users import HeadOfficeUser, WebSession
from cloud.web.session_auth import PERMISSION_ATTR
from tests.cloud.head_office_seed import PASSWORD, add_user
from tests.cloud.web.conftest import csrf_of, sign_in

PUBLIC = {"web_auth.login", "web_auth.logout", "web_auth.language", "static"}


def post_login(client, username, password, next_path=""):
    token = csrf_of(client.get("/login").get_data(as_text=True))
    return client.post("/login" + next_path, data={"csrf_token": token, "username": username, "password": password})


def test_every_page_needs_a_signed_in_user_and_returns_to_where_it_was(cloud_app, business):
    client = cloud_app.test_client()
    for path in ("/", "/fleet", "/salons", "/problems", f"/salons/{business.salon_id}/services", "/users",
                 "/audit", "/account"):
        response = client.get(path)
        assert response.status_code == 302 and "/login?next=" in response.location, path
    assert client.get("/problems?letters=2").location == "/login?next=/problems?letters%3D2"
    add_user("head_office", "anna")
    landed = post_login(client, "anna", PASSWORD, "?next=/problems?letters%3D2")
    assert landed.status_code == 302 and landed.location == "/problems?letters=2"


def test_a_wrong_password_is_shown_next_to_the_field_and_the_name_is_kept(cloud_app):
    add_user("owner", "olga")
    response = post_login(cloud_app.test_client(), "olga", "wrong-password-1")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'value="olga"' in html
    assert re.search(r'has-error">\s*<span>Password</span>.*?class="error"[^>]*>Wrong sign-in name or password',
                     html, re.S)
    assert PASSWORD not in html and "wrong-password-1" not in html
    empty = post_login(cloud_app.test_client(), "", "")
    assert "Enter your sign-in name." in empty.get_data(as_text=True)


def test_sign_in_never_redirects_to_another_site(cloud_app):
    add_user("owner", "olga")
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        response = post_login(cloud_app.test_client(), "olga", PASSWORD, f"?next={target}")
        assert response.location == "/fleet", target


def test_every_endpoint_declares_the_role_it_needs(cloud_app):
    undeclared = []
    for rule in cloud_app.url_map.iter_rules():
        view = cloud_app.view_functions[rule.endpoint]
        if rule.endpoint not in PUBLIC and getattr(view, PERMISSION_ATTR, None) is None:
            undeclared.append(rule.rule)
    assert undeclared == []


def test_forms_without_the_csrf_token_are_refused(owner, business):
    for path, data in (("/fleet/register", {"box_id": business.box_id, "name": "x"}),
                       (f"/problems/conflicts/{business.conflict_id}/resolve", {}),
                       (f"/salons/{business.salon_id}/services/{business.haircut_id}", {"price": "1"}),
                       ("/language", {"locale": "uz"}), ("/logout", {})):
        assert owner.post(path, data, csrf=False).status_code == 400, path
        assert owner.post(path, {**data, "csrf_token": "forged"}, csrf=False).status_code == 400, path
    html = owner.post("/logout", {}, csrf=False).get_data(as_text=True)
    assert "The form has expired; reload the page and try again." in html
    assert owner.get("/fleet").status_code == 200  # still signed in
    stranger = owner.client.application.test_client()
    assert stranger.post("/login", data={"username": "owner", "password": PASSWORD}).status_code == 400
    assert stranger.get("/fleet").status_code == 302


def test_the_session_ends_after_the_idle_time(owner, cloud_app):
    idle = timedelta(minutes=cloud_app.config["SESSION_IDLE_MINUTES"], seconds=1)
    WebSession.update(last_seen_at=WebSession.last_seen_at - idle).execute()
    response = owner.get("/fleet")
    assert response.status_code == 302 and "/login" in response.location
    assert "You were signed out after a period of inactivity." in owner.get("/login").get_data(as_text=True)
    assert owner.get("/fleet").status_code == 302


def test_signing_out_ends_the_session_on_the_server(owner):
    with owner.client.session_transaction() as cookie:
        stolen = dict(cookie)
    assert owner.post("/logout").status_code == 302
    assert owner.get("/fleet").status_code == 302
    with owner.client.session_transaction() as cookie:
        cookie.update(stolen)  # a copy of the old cookie is worth nothing now
    assert owner.get("/fleet").status_code == 302


def test_a_deactivated_user_is_signed_out_at_once(cloud_app, head_office):
    boss = add_user("owner", "olga")
    users.update_user(boss, head_office.user.id, {"active": False})
    assert head_office.get("/fleet").status_code == 302


def test_pages_for_another_role_are_refused_with_a_page(head_office, accountant):
    response = head_office.get("/users")
    assert response.status_code == 403 and "Not allowed for your role" in response.get_data(as_text=True)
    assert accountant.get("/users").status_code == 403
    assert head_office.get("/audit").status_code == 403 and accountant.get("/audit").status_code == 200


def test_the_language_is_remembered_on_the_user(cloud_app, head_office):
    head_office.post("/language", {"locale": "uz", "next": "/fleet"})
    assert HeadOfficeUser.get_by_id(head_office.user.id).locale == "uz"
    html = head_office.get("/fleet").get_data(as_text=True)
    assert '<html lang="uz">' in html and "Salon serverlari" in html
    head_office.post("/logout")
    other = cloud_app.test_client()
    post_login(other, head_office.user.username, PASSWORD)
    assert '<html lang="uz">' in other.get("/fleet").get_data(as_text=True)


@pytest.mark.parametrize("language, heading", [("ru", "Серверы салонов"), ("uz", "Salon serverlari"), ("en", "Fleet of boxes")])
def test_the_fleet_heading_in_each_language(cloud_app, business, language, heading):
    browser = sign_in(cloud_app, "owner", locale=language)
    assert f"<h1>{heading}</h1>" in browser.get("/fleet").get_data(as_text=True)


def test_pages_forbid_outside_resources_and_framing(owner):
    response = owner.get("/fleet")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["Cache-Control"] == "no-store"
    cookie = owner.client.get_cookie("salon_cloud_session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"


def test_a_changed_password_on_the_account_page(owner):
    bad = owner.post("/account", {"action": "password", "current": "nope", "password": "x", "repeat": "y"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "This is not your current password." in html and "The two passwords differ." in html
    good = owner.post("/account", {"action": "password", "current": PASSWORD, "password": "Another-pass-2",
                                   "repeat": "Another-pass-2"})
    assert good.status_code == 302 and owner.get("/fleet").status_code == 200  # this session stays
    assert users.authenticate("owner", "Another-pass-2") is not None
    zone = owner.post("/account", {"action": "timezone", "timezone": "Nowhere/City"})
    assert zone.status_code == 422 and "Choose a time zone from the list" in zone.get_data(as_text=True)
