"""Head office's users, their web sessions, the audit log and the web app's shared secret (PL1-PL3)."""
from datetime import datetime, timezone

from peewee import *  # noqa: F401,F403  (the migration runner's convention)
from playhouse.postgres_ext import BinaryJSONField, DateTimeTZField


def utc_now():
    return datetime.now(timezone.utc)


def up(migrator, db):
    # Frozen copies of the models as they were at this migration.
    class CloudModel(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class HeadOfficeUser(CloudModel):
        id = CharField(primary_key=True, max_length=36)
        username = CharField(max_length=64, unique=True)
        full_name = CharField(max_length=200, default="")
        role = CharField(max_length=16)
        password_hash = TextField()
        locale = CharField(max_length=8, default="ru")
        timezone = CharField(max_length=64, default="UTC")
        active = BooleanField(default=True)
        created_at = DateTimeTZField(default=utc_now)
        updated_at = DateTimeTZField(default=utc_now)
        password_changed_at = DateTimeTZField(null=True)
        last_sign_in_at = DateTimeTZField(null=True)

    class WebSession(CloudModel):
        token_hash = CharField(primary_key=True, max_length=64)
        user = ForeignKeyField(HeadOfficeUser, backref="sessions", on_delete="RESTRICT")
        created_at = DateTimeTZField(default=utc_now)
        last_seen_at = DateTimeTZField(default=utc_now)
        ended_at = DateTimeTZField(null=True)
        end_reason = CharField(max_length=16, null=True)

    class AuditEntry(CloudModel):
        id = BigAutoField()
        at = DateTimeTZField(default=utc_now, index=True)
        actor_id = CharField(max_length=36, null=True)
        actor_name = CharField(max_length=64)
        action = CharField(max_length=64)
        entity = CharField(max_length=64)
        entity_id = CharField(max_length=64)
        salon_id = CharField(max_length=36, null=True)
        details = BinaryJSONField(null=True)

    class AppSecret(CloudModel):
        name = CharField(primary_key=True, max_length=64)
        value = TextField()
        created_at = DateTimeTZField(default=utc_now)

    db.create_tables([HeadOfficeUser, WebSession, AuditEntry, AppSecret])


def down(migrator, db):
    for table in ("app_secret", "audit_entry", "web_session", "head_office_user"):
        db.execute_sql(f'DROP TABLE IF EXISTS "{table}"')
