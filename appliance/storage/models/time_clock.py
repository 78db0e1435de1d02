"""The NFC time clock (ST4, KI2): staff and loyalty cards, clock-in/out punches, and every tap seen.

Card UIDs are never stored: ``uid_hash`` is their HMAC under the box's own
key (appliance.domain.card_ids). Cards and punches go to the cloud; taps
stay on the box (they are the kiosk's and the enrolment page's feed).
"""
from peewee import AutoField, BooleanField, CharField, Check, ForeignKeyField, TextField

from appliance.storage.fields import UtcDateTimeField
from appliance.storage.models.base import BaseModel, SyncedModel, utc_now
from appliance.storage.models.catalogue import Staff
from appliance.storage.models.clients import Client


class Card(SyncedModel):
    """A card and whose it is: a staff member's (time clock) or a client's (loyalty), never both.

    Revoking keeps the row (inactive) so old punches still say which card made them.
    """

    uid_hash = CharField(max_length=64)
    staff = ForeignKeyField(Staff, null=True, backref="cards", on_delete="RESTRICT")
    client = ForeignKeyField(Client, null=True, backref="cards", on_delete="RESTRICT")
    label = CharField(max_length=64, default="")
    active = BooleanField(default=True)
    enrolled_at = UtcDateTimeField(default=utc_now)
    enrolled_by = CharField(max_length=36, null=True)
    revoked_at = UtcDateTimeField(null=True)
    revoked_by = CharField(max_length=36, null=True)
    revoke_reason = TextField(default="")

    class Meta:
        constraints = [Check("(staff_id IS NULL) <> (client_id IS NULL)")]


# One active card per UID; revoked ones may share it (a card lost, revoked, found and enrolled again).
Card.add_index(Card.index(Card.uid_hash, unique=True, name="card_active_uid_hash").where(Card.active == True))  # noqa: E712


class TimePunch(SyncedModel):
    """One clock-in or clock-out. Corrections never delete: they void a punch and/or add one."""

    staff = ForeignKeyField(Staff, backref="punches", on_delete="RESTRICT", index=False)
    at = UtcDateTimeField()
    kind = CharField(max_length=8)  # in, out
    source = CharField(max_length=16)  # card, correction
    card = ForeignKeyField(Card, null=True, on_delete="RESTRICT", index=False)
    reader = CharField(max_length=64, default="")
    note = TextField(default="")  # for a correction: the reason it was added
    created_by = CharField(max_length=36, null=True)  # who added a correction
    replaces = ForeignKeyField("self", null=True, on_delete="RESTRICT", index=False)  # the punch it moved
    voided = BooleanField(default=False)
    void_reason = TextField(default="")
    voided_by = CharField(max_length=36, null=True)
    voided_at = UtcDateTimeField(null=True)

    class Meta:
        indexes = ((("staff", "at"), False),)


class CardTap(BaseModel):
    """Every tap seen at a reader and what came of it; box-local, polled by the kiosk and enrolment pages."""

    id = AutoField()
    reader = CharField(max_length=64)
    at = UtcDateTimeField()
    uid_hash = CharField(max_length=64)
    outcome = CharField(max_length=16)  # clock_in, clock_out, repeat_ignored, client, unknown, revoked
    card = ForeignKeyField(Card, null=True, on_delete="RESTRICT", index=False)
    staff = ForeignKeyField(Staff, null=True, on_delete="RESTRICT", index=False)
    client = ForeignKeyField(Client, null=True, on_delete="RESTRICT", index=False)
    punch = ForeignKeyField(TimePunch, null=True, on_delete="RESTRICT", index=False)

    class Meta:
        indexes = ((("reader", "id"), False), (("staff", "at"), False), (("outcome", "at"), False))
