"""The pure half of provisioning: box ids, the stored password form, the roles and the first plugin file."""
import base64
import hashlib
import uuid

import pytest

from cloud.broker.provisioning import (ADMIN_USER, INGEST_USER, box_role, box_username, hash_password,
                                       ingest_role, initial_config)


def test_a_box_username_is_its_canonical_uuid():
    box_id = str(uuid.uuid4())
    assert box_username(box_id) == box_id
    for bad in (box_id.upper(), box_id.replace("-", ""), "box-a", "+", "#", "", None, f"{box_id}/x"):
        with pytest.raises(ValueError):
            box_username(bad)


def test_passwords_are_stored_as_pbkdf2_sha512_like_mosquitto():
    stored = hash_password("secret", salt=b"0123456789ab")
    assert stored["iterations"] == 101
    assert base64.b64decode(stored["salt"]) == b"0123456789ab"
    assert base64.b64decode(stored["password"]) == hashlib.pbkdf2_hmac("sha512", b"secret", b"0123456789ab", 101, 64)
    assert hash_password("secret")["salt"] != hash_password("secret")["salt"]


def test_a_box_role_names_only_its_own_topics_and_no_wildcards():
    box_id = str(uuid.uuid4())
    grants = {(acl["acltype"], acl["topic"]) for acl in box_role(box_id)["acls"]}
    base = f"salons/{box_id}"
    assert grants == {("publishClientSend", f"{base}/up"), ("publishClientSend", f"{base}/down-ack"),
                      ("publishClientSend", f"{base}/status"),
                      ("subscribeLiteral", f"{base}/ack"), ("subscribeLiteral", f"{base}/down"),
                      ("publishClientReceive", f"{base}/ack"), ("publishClientReceive", f"{base}/down")}
    assert all(acl["allow"] for acl in box_role(box_id)["acls"])


def test_the_ingest_role_matches_the_sync_topic_layout():
    grants = {(acl["acltype"], acl["topic"]) for acl in ingest_role()["acls"]}
    assert ("subscribeLiteral", "$share/ingest/salons/+/up") in grants
    assert ("subscribeLiteral", "salons/+/up") not in grants
    assert {topic for kind, topic in grants if kind == "publishClientSend"} == {"salons/+/ack", "salons/+/down"}


def test_the_first_plugin_file_denies_by_default_and_holds_only_the_admin():
    config = initial_config("admin-secret")
    assert config["defaultACLAccess"] == {"publishClientSend": False, "publishClientReceive": False,
                                          "subscribe": False, "unsubscribe": True}
    assert [client["username"] for client in config["clients"]] == [ADMIN_USER]
    assert {role["rolename"] for role in config["roles"]} == {ADMIN_USER, INGEST_USER}
    assert "admin-secret" not in str(config)
