"""Cash registers, their shifts and cash movements (PO2, PO4).

All synced but ``FiscalIntent``: the cloud recomputes every shift's figures from these rows and
the payments that name the shift (appliance.storage.models.checkout).
"""
from peewee import AutoField, BooleanField, CharField, ForeignKeyField, IntegerField, TextField

from appliance.storage.fields import JsonField, MoneyField, UtcDateTimeField
from appliance.storage.models.base import BaseModel, SyncedModel, utc_now
from appliance.storage.models.catalogue import Staff

FISCAL_DRIVERS = ("non_fiscal", "shtrih_m")
SHIFT_STATES = ("open", "closed")
MOVEMENT_KINDS = ("in", "out")


class CashRegister(SyncedModel):
    """A till: its fiscal driver (a setting), and the counters that make its numbers gap-free."""

    name = CharField(max_length=100)
    driver = CharField(max_length=16, default="non_fiscal")  # non_fiscal, shtrih_m
    address = CharField(max_length=200, default="")  # host:port of a fiscal register
    operator_password = IntegerField(default=30)  # the fiscal register's operator password
    last_receipt_number = IntegerField(default=0)  # receipts and returns share one sequence
    last_shift_number = IntegerField(default=0)
    active = BooleanField(default=True)


class ShiftClosed(Exception):
    """A write to a shift that is closed: its figures are final."""


class CashShift(SyncedModel):
    """One shift of a register: opened with a float, closed by the Z report; closed ones never change."""

    register = ForeignKeyField(CashRegister, backref="shifts", on_delete="RESTRICT")
    number = IntegerField()
    status = CharField(max_length=8, default="open")
    opened_at = UtcDateTimeField()
    opened_by = ForeignKeyField(Staff, on_delete="RESTRICT")
    opening_cash = MoneyField()
    closed_at = UtcDateTimeField(null=True)
    closed_by = ForeignKeyField(Staff, null=True, on_delete="RESTRICT", index=False)
    z_totals = JsonField(null=True)  # the Z report's figures as printed, kept with the shift

    class Meta:
        indexes = ((("register", "number"), True),)

    def save(self, force_insert=False, only=None):
        """Refuse to write a shift whose stored row is closed, whoever asks (services check first)."""
        if not force_insert:
            stored = CashShift.select(CashShift.status).where(CashShift.id == self.id).scalar()
            if stored == "closed":
                raise ShiftClosed(f"shift {self.number} is closed")
        return super().save(force_insert=force_insert, only=only)


# At most one open shift per register.
CashShift.add_index(CashShift.index(CashShift.register, unique=True, name="cashshift_one_open")
                    .where(CashShift.status == "open"))


class CashMovement(SyncedModel):
    """Cash put into or taken out of the drawer, with its income or expense item (PO4)."""

    shift = ForeignKeyField(CashShift, backref="movements", on_delete="RESTRICT")
    kind = CharField(max_length=8)  # in, out
    amount = MoneyField()
    item = CharField(max_length=64)  # e.g. collection, supplies, change_fund
    note = TextField(default="")
    created_by = ForeignKeyField(Staff, on_delete="RESTRICT", index=False)


INTENT_STATES = ("open", "done", "cancelled", "recovered", "abandoned")


class FiscalIntent(BaseModel):
    """A receipt about to go to a fiscal register (box-local, never synced): the crash window's record.

    Committed on its own before the register is called, with the register's
    last document number then. The sale's own commit marks it ``done``; one
    left ``open`` (the box died, or the register's answer was lost) is settled
    by asking the register (``appliance.services.fiscal_intents``): moved past
    ``document_before`` → the receipt was issued, the sale is completed from
    the tenders kept here (``recovered``); not moved → nothing was issued
    (``abandoned``) and paying again is safe. ``cancelled``: refused before the
    register was called.
    """

    id = AutoField()
    sale = CharField(max_length=36, index=True)
    register = CharField(max_length=36, index=True)
    shift = CharField(max_length=36)
    attempt = IntegerField()
    kind = CharField(max_length=8, default="sale")
    document_before = IntegerField()
    tenders = JsonField()  # [{method, amount, tendered, reference}] as sent to the register
    total = MoneyField()
    state = CharField(max_length=10, default="open")
    document = CharField(max_length=64, default="")  # the register's number of the receipt, once known
    started_by = CharField(max_length=36, null=True)
    started_at = UtcDateTimeField(default=utc_now)
    finished_at = UtcDateTimeField(null=True)
    note = TextField(default="")
    # A return's lines ([[original line id, quantity]]), reason and, once recorded, the return's own id.
    detail = JsonField(null=True)
