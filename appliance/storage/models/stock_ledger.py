"""The stock ledger (IN2-IN7): documents, their immutable movements, lots, counts, and on-hand.

Every change of stock is a ``StockMovement`` (signed quantity in base units)
belonging to one ``StockDocument``; movements are never edited — a mistake
is put right by another document. ``StockBalance`` is the running on-hand per
(warehouse, product), updated in the same transaction as the movements so
reads are cheap; it stays on the box (the cloud recomputes it from movements).
"""
from peewee import AutoField, BooleanField, CharField, DateField, ForeignKeyField, TextField

from appliance.storage.fields import MoneyField, QuantityField, UtcDateTimeField
from appliance.storage.models.base import BaseModel, SyncedModel, utc_now
from appliance.storage.models.stock import Product, Supplier, Warehouse

DOCUMENT_KINDS = ("receipt", "transfer", "write_off", "stocktake", "sale", "return", "consumption",
                  "consumption_undo")


class StockDocument(SyncedModel):
    """A receipt, transfer, write-off, stocktake, sale, return or visit consumption.

    ``status``: posted (its movements are written), draft (a stocktake being
    counted), cancelled (a draft dropped), reversed (a consumption undone by
    a ``consumption_undo`` document pointing at it in ``reverses``).
    """

    kind = CharField(max_length=16)
    status = CharField(max_length=12, default="posted")
    warehouse = ForeignKeyField(Warehouse, on_delete="RESTRICT")
    to_warehouse = ForeignKeyField(Warehouse, null=True, on_delete="RESTRICT", index=False)  # transfers
    supplier = ForeignKeyField(Supplier, null=True, backref="receipts", on_delete="RESTRICT")
    supplier_ref = CharField(max_length=64, default="")  # the supplier's invoice number
    total_cost = MoneyField(null=True)  # a receipt's value: what it makes payable
    paid = MoneyField(null=True)  # paid on delivery
    reason = TextField(default="")  # write-offs, stocktakes, undo
    sale_id = CharField(max_length=36, null=True, index=True)
    return_id = CharField(max_length=36, null=True)
    booking_id = CharField(max_length=36, null=True, index=True)
    client_id = CharField(max_length=36, null=True)
    master_id = CharField(max_length=36, null=True)
    reverses = ForeignKeyField("self", null=True, on_delete="RESTRICT", index=False)
    went_negative = BooleanField(default=False)  # some stock fell below zero (allowed by the salon)
    posted_at = UtcDateTimeField(null=True, index=True)
    created_by = CharField(max_length=36, null=True)
    posted_by = CharField(max_length=36, null=True)


# At most one live consumption per visit: consume_for_visit is idempotent even across processes.
StockDocument.add_index(StockDocument.index(StockDocument.booking_id, unique=True, name="stockdocument_visit_once")
                        .where((StockDocument.kind == "consumption") & (StockDocument.status == "posted")))


class StockLot(SyncedModel):
    """A received batch with its expiry date, per warehouse; ``remaining`` falls as it is used (IN7)."""

    product = ForeignKeyField(Product, backref="lots", on_delete="RESTRICT")
    warehouse = ForeignKeyField(Warehouse, on_delete="RESTRICT")
    code = CharField(max_length=64, default="")
    expires_on = DateField(null=True)
    received_at = UtcDateTimeField(default=utc_now)
    remaining = QuantityField(default=0)

    class Meta:
        indexes = ((("product", "warehouse", "expires_on"), False),)


class StockMovement(SyncedModel):
    """One signed change of one product in one warehouse; immutable once written."""

    document = ForeignKeyField(StockDocument, backref="movements", on_delete="RESTRICT")
    product = ForeignKeyField(Product, on_delete="RESTRICT", index=False)
    warehouse = ForeignKeyField(Warehouse, on_delete="RESTRICT", index=False)
    quantity = QuantityField()  # base units, + in, - out
    pack_size = QuantityField()  # the product's pack size then: unit_cost is per pack
    unit_cost = MoneyField(null=True)  # per piece (pack)
    norm = QuantityField(null=True)  # visit consumption: what the cost card prescribed
    at = UtcDateTimeField(default=utc_now)
    lot = ForeignKeyField(StockLot, null=True, on_delete="RESTRICT", index=False)
    master_id = CharField(max_length=36, null=True)
    client_id = CharField(max_length=36, null=True)
    service_id = CharField(max_length=36, null=True)
    booking_id = CharField(max_length=36, null=True)
    sale_id = CharField(max_length=36, null=True)

    class Meta:
        indexes = ((("product", "warehouse", "at"), False), (("at",), False))


class StocktakeLine(SyncedModel):
    """A product counted in a stocktake: what the books said, what was found (IN6)."""

    document = ForeignKeyField(StockDocument, backref="count_lines", on_delete="RESTRICT")
    product = ForeignKeyField(Product, on_delete="RESTRICT")
    expected = QuantityField()
    counted = QuantityField()

    class Meta:
        indexes = ((("document", "product"), True),)


class StockBalance(BaseModel):
    """On-hand now per (warehouse, product), kept with every movement."""

    id = AutoField()
    warehouse = ForeignKeyField(Warehouse, on_delete="RESTRICT", index=False)
    product = ForeignKeyField(Product, on_delete="RESTRICT")
    quantity = QuantityField(default=0)

    class Meta:
        indexes = ((("warehouse", "product"), True),)
