"""The owner manages head-office users; every change of a role or a password is in the audit log (PL1, PL3)."""
import re

from cloud.services import users
from cloud.storage.users import AuditEntry, HeadOfficeUser
from tests.cloud.head_office_seed import PASSWORD
from tests.cloud.web.conftest import csrf_of


def new_user(**changes) -> dict:
    return {"username": "Malika", "full_name": "Malika Yusupova", "role": "accountant", "locale": "uz",
            "timezone": "Asia/Tashkent", "password": "Malika-pass-1", "repeat": "Malika-pass-1", **changes}


def test_the_owner_adds_a_user_who_can_then_sign_in(owner, cloud_app):
    bad = owner.post("/users/new", new_user(password="short", repeat="short", timezone="Moon/Base"))
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Use at least 10 characters." in html
    assert "Choose a time zone from the list" in html and 'value="Malika"' in html and "short" not in html
    differ = owner.post("/users/new", new_user(repeat="other")).get_data(as_text=True)
    assert "The two passwords differ." in differ
    assert owner.post("/users/new", new_user()).status_code == 302
    malika = HeadOfficeUser.get(HeadOfficeUser.username == "malika")
    assert (malika.role, malika.locale, malika.timezone) == ("accountant", "uz", "Asia/Tashkent")
    client = cloud_app.test_client()
    token = csrf_of(client.get("/login").get_data(as_text=True))
    assert client.post("/login", data={"csrf_token": token, "username": "malika",
                                       "password": "Malika-pass-1"}).status_code == 302
    assert '<html lang="uz">' in client.get("/fleet").get_data(as_text=True)


def test_role_changes_and_new_passwords_are_audited_and_shown_in_the_log(owner, accountant):
    path = f"/users/{accountant.user.id}"
    assert owner.post(path, {"full_name": "Aziz", "role": "head_office", "locale": "en",
                             "timezone": "UTC", "active": "1"}).status_code == 302
    assert owner.post(f"{path}/password", {"password": "Fresh-pass-22", "repeat": "Fresh-pass-22"}).status_code == 302
    assert accountant.get("/fleet").status_code == 302  # their session ended with the new password
    assert users.authenticate("accountant", "Fresh-pass-22") is not None
    actions = [e.action for e in AuditEntry.select().order_by(AuditEntry.id)]
    assert actions[-2:] == ["user.role_changed", "user.password_set"]
    html = owner.get("/audit").get_data(as_text=True)
    assert "Role changed" in html and "Password set" in html
    assert '"to": "head_office"' in html.replace("&#34;", '"')
    assert "Fresh-pass-22" not in html


def test_the_last_owner_cannot_take_away_their_own_role(owner):
    response = owner.post(f"/users/{owner.user.id}", {"full_name": "", "role": "accountant", "locale": "en",
                                                      "timezone": "UTC", "active": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'has-error">\s*<span>Role</span>.*?The business needs at least one active owner', html, re.S)
    assert HeadOfficeUser.get_by_id(owner.user.id).role == "owner"


def test_only_the_owner_manages_users(head_office, accountant, owner):
    for browser in (head_office, accountant):
        assert browser.get("/users").status_code == 403
        assert browser.get("/users/new").status_code == 403
        assert browser.post("/users/new", new_user()).status_code == 403
        assert browser.post(f"/users/{owner.user.id}/password", {"password": PASSWORD + "x"}).status_code == 403
    assert not HeadOfficeUser.select().where(HeadOfficeUser.username == "malika").exists()
