"""Sales and returns with their lines, tips and payments; gift certificates and client deposits (PO1-PO6, LY3).

Every row is synced and carries its own figures (gross, discounts, net,
amounts by method), so the cloud can recompute any total without the box.
Products are referred to by id only: the stock tables belong to another
migration, and a sale must not depend on it.
"""
from peewee import BooleanField, CharField, DateField, ForeignKeyField, IntegerField, TextField

from appliance.storage.fields import MoneyField, UtcDateTimeField
from appliance.storage.models.base import SyncedModel
from appliance.storage.models.bookings import Booking, BookingItem
from appliance.storage.models.cash import CashRegister, CashShift
from appliance.storage.models.catalogue import Service, Staff
from appliance.storage.models.clients import Client

SALE_KINDS = ("sale", "return")
SALE_STATES = ("open", "paid", "cancelled")
LINE_KINDS = ("service", "product", "certificate", "deposit")


class Sale(SyncedModel):
    """A check: open while it is edited, paid once the register took it (then numbered), or a return."""

    kind = CharField(max_length=8, default="sale")
    status = CharField(max_length=10, default="open")
    booking = ForeignKeyField(Booking, null=True, on_delete="RESTRICT")
    client = ForeignKeyField(Client, null=True, on_delete="RESTRICT", index=False)
    original = ForeignKeyField("self", null=True, backref="returns", on_delete="RESTRICT")
    register = ForeignKeyField(CashRegister, null=True, on_delete="RESTRICT", index=False)
    shift = ForeignKeyField(CashShift, null=True, backref="sales", on_delete="RESTRICT")
    number = IntegerField(null=True)  # gap-free per register, given when the sale is paid
    currency = CharField(max_length=3)
    subtotal = MoneyField(default=0)
    line_discounts = MoneyField(default=0)
    check_discount = MoneyField(default=0)
    total = MoneyField(default=0)
    tips_total = MoneyField(default=0)
    change = MoneyField(default=0)
    check_discount_kind = CharField(max_length=8, null=True)  # percent, amount
    check_discount_value = MoneyField(null=True)
    check_discount_by = CharField(max_length=36, null=True)
    check_discount_reason = TextField(default="")
    reason = TextField(default="")  # of a return
    opened_by = CharField(max_length=36, null=True)
    cashier = ForeignKeyField(Staff, null=True, on_delete="RESTRICT", index=False)
    paid_at = UtcDateTimeField(null=True)
    fiscal_driver = CharField(max_length=16, default="")
    fiscal_document = CharField(max_length=64, default="")  # the fiscal register's own document number


Sale.add_index(Sale.index(Sale.register, Sale.number, unique=True, name="sale_register_number")
               .where(Sale.number.is_null(False)))


class SaleLine(SyncedModel):
    """A service, product, gift certificate or deposit top-up on a check; removed lines stay, inactive."""

    sale = ForeignKeyField(Sale, backref="lines", on_delete="RESTRICT")
    position = IntegerField()
    kind = CharField(max_length=12)
    name = CharField(max_length=200)
    booking_item = ForeignKeyField(BookingItem, null=True, on_delete="RESTRICT", index=False)
    service = ForeignKeyField(Service, null=True, on_delete="RESTRICT", index=False)
    product_id = CharField(max_length=36, null=True)  # the stock's product; no foreign key (see above)
    master = ForeignKeyField(Staff, null=True, on_delete="RESTRICT", index=False)
    quantity = MoneyField()  # exact like money: 1, 0.5, 1.25
    unit_price = MoneyField()
    price_min = MoneyField(null=True)  # the range a service's price may be set within
    price_max = MoneyField(null=True)
    discount_kind = CharField(max_length=8, null=True)
    discount_value = MoneyField(null=True)
    discount_by = CharField(max_length=36, null=True)
    discount_reason = TextField(default="")
    gross = MoneyField(default=0)
    discount = MoneyField(default=0)
    check_share = MoneyField(default=0)
    net = MoneyField(default=0)
    certificate_code = CharField(max_length=16, null=True)
    original_line = ForeignKeyField("self", null=True, on_delete="RESTRICT", index=False)
    active = BooleanField(default=True)


class SaleTip(SyncedModel):
    """A tip for a master, paid with the check (PO6)."""

    sale = ForeignKeyField(Sale, backref="tips", on_delete="RESTRICT")
    master = ForeignKeyField(Staff, on_delete="RESTRICT", index=False)
    amount = MoneyField()
    active = BooleanField(default=True)


class GiftCertificate(SyncedModel):
    """A gift certificate (LY3): sold on a check, active once paid, spent in parts until it expires."""

    code = CharField(max_length=16, unique=True)
    amount = MoneyField()
    balance = MoneyField()
    status = CharField(max_length=8, default="active")  # active, voided
    sale_line = ForeignKeyField(SaleLine, on_delete="RESTRICT", index=False)
    client = ForeignKeyField(Client, null=True, on_delete="RESTRICT", index=False)
    activated_at = UtcDateTimeField()
    expires_on = DateField()


class SalePayment(SyncedModel):
    """The part of a check paid (or, on a return, paid back) by one method, in one shift."""

    sale = ForeignKeyField(Sale, backref="payments", on_delete="RESTRICT")
    shift = ForeignKeyField(CashShift, on_delete="RESTRICT")
    kind = CharField(max_length=8)  # sale, return: as the check's kind, so a shift sums in one query
    method = CharField(max_length=16)
    amount = MoneyField()
    tendered = MoneyField(null=True)
    change = MoneyField(default=0)
    certificate = ForeignKeyField(GiftCertificate, null=True, on_delete="RESTRICT", index=False)
    client = ForeignKeyField(Client, null=True, on_delete="RESTRICT", index=False)  # whose deposit
    refund_of = ForeignKeyField("self", null=True, on_delete="RESTRICT", index=False)


class CertificateEntry(SyncedModel):
    """One movement of a certificate's balance: issued, redeemed, restored by a return, voided."""

    certificate = ForeignKeyField(GiftCertificate, backref="entries", on_delete="RESTRICT")
    sale = ForeignKeyField(Sale, on_delete="RESTRICT", index=False)
    kind = CharField(max_length=8)
    amount = MoneyField()  # signed: the balance is the sum of the entries


class DepositEntry(SyncedModel):
    """One movement of a client's deposit (PO4): topped up on a check, spent as a payment, restored."""

    client = ForeignKeyField(Client, backref="deposit_entries", on_delete="RESTRICT")
    sale = ForeignKeyField(Sale, on_delete="RESTRICT", index=False)
    kind = CharField(max_length=8)  # top_up, spend, restore, reverse
    amount = MoneyField()  # signed: the balance is their sum, never below zero
