"""Sign-in tokens and enrolled devices (PL1, PL2). Box-local: never synced."""
from peewee import BooleanField, CharField, ForeignKeyField, IntegerField

from appliance.domain.ids import new_id
from appliance.storage.fields import UtcDateTimeField
from appliance.storage.models.base import BaseModel, utc_now
from appliance.storage.models.catalogue import Staff


class Device(BaseModel):
    """A kiosk or other device that calls the API with its own token."""

    id = CharField(primary_key=True, max_length=36, default=new_id)
    name = CharField(max_length=100)
    kind = CharField(max_length=16, default="kiosk")
    active = BooleanField(default=True)
    created_at = UtcDateTimeField(default=utc_now)
    # The card reader whose taps this kiosk shows ("" = any reader of the box).
    reader = CharField(max_length=200, default="")
    # A one-time code typed on the kiosk's own screen pairs it; only its hash is kept.
    pairing_hash = CharField(max_length=64, null=True)
    pairing_expires_at = UtcDateTimeField(null=True)
    pairing_failures = IntegerField(default=0)


class ApiToken(BaseModel):
    """A bearer token; only its SHA-256 is stored, so a stolen database gives no access."""

    id = CharField(primary_key=True, max_length=36, default=new_id)
    token_hash = CharField(max_length=64, unique=True)
    staff = ForeignKeyField(Staff, null=True, on_delete="RESTRICT")
    device = ForeignKeyField(Device, null=True, on_delete="RESTRICT")
    created_at = UtcDateTimeField(default=utc_now)
    expires_at = UtcDateTimeField(null=True)
    revoked = BooleanField(default=False)
