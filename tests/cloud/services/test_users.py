"""Head-office users, passwords, sessions and roles on real PostgreSQL (PL1, PL2, PL3)."""
from datetime import timedelta

import pytest

from cloud.services import sessions, users
from cloud.services.errors import InvalidInput, Refused
from cloud.services.access import PERMISSIONS, ROLES, allowed
from cloud.storage.users import HEAD_OFFICE_MODELS, AuditEntry, HeadOfficeUser, WebSession
from tests.cloud.head_office_seed import PASSWORD, add_user

IDLE, LIFETIME = timedelta(minutes=30), timedelta(hours=12)


def reasons(exc_info) -> dict:
    return {field: reason for field, (reason, _params) in exc_info.value.fields.items()}


def test_passwords_are_stored_as_argon2id_hashes_only(cloud_db):
    user = add_user("owner", "Olga")
    assert user.username == "olga"
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
    assert users.authenticate("OLGA ", PASSWORD).id == user.id
    assert users.authenticate("olga", PASSWORD + "x") is None
    assert users.authenticate("nobody", PASSWORD) is None


@pytest.mark.parametrize("values, field, reason", [
    ({"username": "ab"}, "username", "username_format"),
    ({"username": "with space"}, "username", "username_format"),
    ({"password": "short-1"}, "password", "password_too_short"),
    ({"password": "onlyletterslong"}, "password", "password_needs_mix"),
    ({"password": "12345678901"}, "password", "password_needs_mix"),
    ({"role": "manager"}, "role", "choose"),
    ({"locale": "de"}, "locale", "choose"),
    ({"timezone": "Mars/Olympus"}, "timezone", "unknown_zone"),
])
def test_bad_input_names_the_field(cloud_db, values, field, reason):
    good = {"username": "anna", "role": "head_office", "password": PASSWORD, "timezone": "Asia/Tashkent"}
    with pytest.raises(InvalidInput) as caught:
        users.create_user(None, {**good, **values})
    assert reasons(caught) == {field: reason}
    assert HeadOfficeUser.select().count() == 0


def test_a_sign_in_name_is_taken_once(cloud_db):
    add_user("owner", "olga")
    with pytest.raises(InvalidInput) as caught:
        users.create_user(None, {"username": "Olga", "role": "accountant", "password": PASSWORD})
    assert reasons(caught) == {"username": "username_taken"}


def test_role_changes_and_deactivation_are_audited(cloud_db):
    owner, anna = add_user("owner", "olga"), add_user("head_office", "anna")
    users.update_user(owner, anna.id, {"role": "accountant"})
    users.update_user(owner, anna.id, {"active": False})
    entries = [(e.action, e.actor_name, e.details) for e in AuditEntry.select().order_by(AuditEntry.id)]
    assert entries[-2:] == [
        ("user.role_changed", "olga", {"username": "anna", "from": "head_office", "to": "accountant"}),
        ("user.deactivated", "olga", {"username": "anna"})]
    assert entries[0][:2] == ("user.created", "(command line)")
    assert users.authenticate("anna", PASSWORD) is None


def test_the_last_active_owner_cannot_be_demoted_or_deactivated(cloud_db):
    owner = add_user("owner", "olga")
    for change, field in (({"role": "accountant"}, "role"), ({"active": False}, "active")):
        with pytest.raises(Refused) as caught:
            users.update_user(owner, owner.id, change)
        assert (caught.value.reason, caught.value.field) == ("last_owner", field)
    second = add_user("owner", "boris")
    users.update_user(second, owner.id, {"role": "head_office"})
    assert HeadOfficeUser.get_by_id(owner.id).role == "head_office"


def test_sessions_end_when_idle_too_long_or_too_old_and_at_sign_out(cloud_db):
    user = add_user("accountant", "aziz")
    token = sessions.start_session(user)
    assert WebSession.get().token_hash == sessions.token_hash(token) != token
    assert sessions.resume_session(token, IDLE, LIFETIME)[0].id == user.id
    WebSession.update(last_seen_at=WebSession.last_seen_at - IDLE - timedelta(seconds=1)).execute()
    assert sessions.resume_session(token, IDLE, LIFETIME) == (None, "idle")
    assert sessions.resume_session(token, IDLE, LIFETIME) == (None, "ended")  # not revived by a later request

    old = sessions.start_session(user)
    WebSession.update(created_at=WebSession.created_at - LIFETIME - timedelta(seconds=1)).where(
        WebSession.token_hash == sessions.token_hash(old)).execute()
    assert sessions.resume_session(old, IDLE, LIFETIME) == (None, "lifetime")

    fresh = sessions.start_session(user)
    sessions.end_session(fresh)
    assert sessions.resume_session(fresh, IDLE, LIFETIME) == (None, "ended")
    assert sessions.resume_session("made-up", IDLE, LIFETIME) == (None, "unknown")


def test_a_new_password_ends_the_other_sessions_and_is_audited(cloud_db):
    user = add_user("head_office", "anna")
    here, elsewhere = sessions.start_session(user), sessions.start_session(user)
    users.set_password(user, user.id, "New-password-2", keep_session=sessions.token_hash(here))
    assert sessions.resume_session(here, IDLE, LIFETIME)[0].id == user.id
    assert sessions.resume_session(elsewhere, IDLE, LIFETIME) == (None, "ended")
    assert users.authenticate("anna", "New-password-2") is not None
    assert AuditEntry.select().order_by(AuditEntry.id.desc()).first().action == "user.password_set"
    with pytest.raises(InvalidInput):
        users.set_password(user, user.id, "short")


def test_deactivating_a_user_ends_their_sessions_at_once(cloud_db):
    owner, anna = add_user("owner", "olga"), add_user("head_office", "anna")
    token = sessions.start_session(anna)
    users.update_user(owner, anna.id, {"active": False})
    assert sessions.resume_session(token, IDLE, LIFETIME) == (None, "ended")


def test_roles_grant_what_the_catalogue_says():
    assert all(allowed("owner", p) for p in PERMISSIONS)
    head_office = {p for p in PERMISSIONS if allowed("head_office", p)}
    assert {"fleet.view", "problems.view", "problems.resolve", "masterdata.view", "masterdata.edit"} <= head_office
    assert not head_office & {"fleet.manage", "users.manage"}
    accountant = {p for p in PERMISSIONS if allowed("accountant", p)}
    assert all(p.endswith((".view", ".own")) for p in accountant)
    assert not allowed(None, "fleet.view") and not allowed("kiosk", "fleet.view")
    assert set(ROLES) == {"owner", "head_office", "accountant"}
    with pytest.raises(KeyError):
        allowed("owner", "no.such")


def test_the_migration_builds_the_tables_the_models_describe(cloud_db):
    for model in HEAD_OFFICE_MODELS:
        table = model._meta.table_name
        columns = {c.name: c for c in cloud_db.get_columns(table)}
        fields = {f.column_name: f for f in model._meta.sorted_fields}
        assert set(columns) == set(fields), table
        for name, field in fields.items():
            assert columns[name].null == field.null, (table, name)
    assert {i.name for i in cloud_db.get_indexes("head_office_user") if i.unique} >= {"head_office_user_username"}
