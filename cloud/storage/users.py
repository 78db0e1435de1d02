"""Head office's own tables: its users, their web sessions, the audit log, the web app's secret (PL1-PL3).

These are the cloud's, never synced to a box. Users are deactivated, never
deleted (sessions and audit entries point at them).
"""
from peewee import BigAutoField, BooleanField, CharField, ForeignKeyField, TextField
from playhouse.postgres_ext import BinaryJSONField, DateTimeTZField

from cloud.storage.models import CloudModel, utc_now


class HeadOfficeUser(CloudModel):
    """Someone from head office who signs in to the cloud's pages; ``role`` is owner, head_office or accountant."""

    id = CharField(primary_key=True, max_length=36)  # UUIDv7
    username = CharField(max_length=64, unique=True)
    full_name = CharField(max_length=200, default="")
    role = CharField(max_length=16)
    password_hash = TextField()
    locale = CharField(max_length=8, default="ru")
    timezone = CharField(max_length=64, default="UTC")  # times on the pages are shown in this zone
    active = BooleanField(default=True)
    created_at = DateTimeTZField(default=utc_now)
    updated_at = DateTimeTZField(default=utc_now)
    password_changed_at = DateTimeTZField(null=True)
    last_sign_in_at = DateTimeTZField(null=True)


class WebSession(CloudModel):
    """A signed-in browser: the cookie holds the token, this row only its SHA-256 (so a copy of the table signs nobody in)."""

    token_hash = CharField(primary_key=True, max_length=64)
    user = ForeignKeyField(HeadOfficeUser, backref="sessions", on_delete="RESTRICT")
    created_at = DateTimeTZField(default=utc_now)
    last_seen_at = DateTimeTZField(default=utc_now)
    ended_at = DateTimeTZField(null=True)
    end_reason = CharField(max_length=16, null=True)  # signed_out, idle, lifetime, password, deactivated


class AuditEntry(CloudModel):
    """Who changed users, permissions, boxes or master data, what, and when (PL3)."""

    id = BigAutoField()
    at = DateTimeTZField(default=utc_now, index=True)
    actor_id = CharField(max_length=36, null=True)  # None: the command line on the server
    actor_name = CharField(max_length=64)  # the username at the time, kept if it changes later
    action = CharField(max_length=64)
    entity = CharField(max_length=64)
    entity_id = CharField(max_length=64)
    salon_id = CharField(max_length=36, null=True)
    details = BinaryJSONField(null=True)


class AppSecret(CloudModel):
    """A secret the web app makes once and every worker shares (the session-signing key when none is configured)."""

    name = CharField(primary_key=True, max_length=64)
    value = TextField()
    created_at = DateTimeTZField(default=utc_now)


HEAD_OFFICE_MODELS = (HeadOfficeUser, WebSession, AuditEntry, AppSecret)
