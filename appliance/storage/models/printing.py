"""Printers, the persistent print queue, and the devices the hardware service has seen (KI3).

All box-local: a print job is about this box's paper, never synced.
"""
from peewee import AutoField, BooleanField, CharField, ForeignKeyField, IntegerField, TextField

from appliance.domain.ids import new_id
from appliance.storage.fields import JsonField, UtcDateTimeField
from appliance.storage.models.base import BaseModel, utc_now
from appliance.storage.models.catalogue import Staff

PRINTER_ROLES = ("receipt", "label")
JOB_STATES = ("queued", "printing", "done", "failed-retrying", "interrupted", "cancelled")
# A job in one of these may still be printed by the worker.
WAITING_STATES = ("queued", "failed-retrying")
DEVICE_KINDS = ("reader", "printer")


class Printer(BaseModel):
    """A configured printer; never deleted (its jobs refer to it), only made inactive."""

    id = CharField(primary_key=True, max_length=36, default=new_id)
    name = CharField(max_length=100)
    role = CharField(max_length=16)  # receipt, label
    connection = CharField(max_length=16)  # network, usb, serial, file
    address = CharField(max_length=200)
    profile = CharField(max_length=64, default="default")  # a python-escpos capability profile
    paper_width_mm = IntegerField(default=80)  # 58 or 80
    code_page = CharField(max_length=16, default="auto")  # auto, CP1251, CP866
    active = BooleanField(default=True)
    created_at = UtcDateTimeField(default=utc_now)
    updated_at = UtcDateTimeField(default=utc_now)


class PrintJob(BaseModel):
    """One document waiting for, being sent to, or sent to a printer."""

    id = AutoField()  # queue order
    printer = ForeignKeyField(Printer, on_delete="RESTRICT")
    kind = CharField(max_length=32)  # receipt, report, visit_card, label, test
    title = CharField(max_length=200)
    document = JsonField()  # appliance.domain.print_document, to_json()
    state = CharField(max_length=16, default="queued")
    attempts = IntegerField(default=0)
    last_error = TextField(null=True)
    next_attempt_at = UtcDateTimeField(default=utc_now)
    claimed_at = UtcDateTimeField(null=True)
    created_at = UtcDateTimeField(default=utc_now)
    printed_at = UtcDateTimeField(null=True)
    created_by = ForeignKeyField(Staff, null=True, on_delete="RESTRICT")
    reprint_of = ForeignKeyField("self", null=True, on_delete="RESTRICT")

    class Meta:
        indexes = ((("printer", "state", "next_attempt_at"), False),)


class DeviceState(BaseModel):
    """The last word on a reader or printer from the hardware service: what it is doing and when seen."""

    id = AutoField()
    kind = CharField(max_length=16)  # reader, printer (for a printer, name is its Printer id)
    name = CharField(max_length=200)
    state = CharField(max_length=32)
    detail = TextField(default="")
    seen_at = UtcDateTimeField(default=utc_now)

    class Meta:
        indexes = ((("kind", "name"), True),)
