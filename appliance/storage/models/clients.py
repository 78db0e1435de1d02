"""Client cards (CL1, CL2, CL7)."""
from peewee import BooleanField, CharField, DateField, ForeignKeyField, IntegerField, TextField

from appliance.storage.fields import JsonField, UtcDateTimeField
from appliance.storage.models.base import SyncedModel


class Client(SyncedModel):
    """A client card. Visit counters are kept here so status needs no scan of history."""

    first_name = CharField(max_length=100)
    last_name = CharField(max_length=100, default="")
    middle_name = CharField(max_length=100, default="")
    phone = CharField(max_length=20, null=True, index=True)  # E.164
    extra_phones = JsonField(default=list)
    email = CharField(max_length=200, null=True)
    birthday = DateField(null=True)
    gender = CharField(max_length=8, null=True)  # female, male, other
    source = CharField(max_length=64, null=True)
    notes = TextField(default="")
    allergies = TextField(default="")
    preferences = JsonField(default=dict)  # masters, services, products: lists of ids
    consents = JsonField(default=dict)  # channel -> bool
    tags = JsonField(default=list)
    card_number = CharField(max_length=32, null=True, index=True)
    joined_on = DateField()
    visit_count = IntegerField(default=0)
    first_visit_at = UtcDateTimeField(null=True)
    last_visit_at = UtcDateTimeField(null=True)
    merged_into = ForeignKeyField("self", null=True, on_delete="RESTRICT")
    active = BooleanField(default=True)
    search_text = TextField(default="", index=True)
