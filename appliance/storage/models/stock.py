"""Stock master data (IN1, IN2, IN3, SV2, SV3): products, warehouses, suppliers, cost cards.

Quantities are in the product's base unit (pcs, ml, g) as exact Decimals
(QuantityField); ``pack_size`` says how many base units one sold piece holds
(a 1000 ml bottle: unit "ml", pack_size 1000).
"""
from peewee import BooleanField, CharField, ForeignKeyField, TextField

from appliance.storage.fields import MoneyField, QuantityField, UtcDateTimeField
from appliance.storage.models.base import SyncedModel, utc_now
from appliance.storage.models.catalogue import Service


class Product(SyncedModel):
    """Something the salon sells or uses up; never deleted, only made inactive."""

    name = CharField(max_length=200)
    sku = CharField(max_length=64, null=True)
    barcode = CharField(max_length=64, null=True)
    unit = CharField(max_length=8, default="pcs")  # the base unit: pcs, ml, g
    pack_size = QuantityField(default=1)  # base units in one piece sold or received
    retail_price = MoneyField(default=0)
    staff_price = MoneyField(null=True)
    cost_price = MoneyField(null=True)  # the write-off price, per piece (SV3)
    category = CharField(max_length=100, default="")
    low_stock_level = QuantityField(null=True)  # in base units; at or below it the product is flagged
    track_expiry = BooleanField(default=False)
    retail = BooleanField(default=True)  # sold to clients
    material = BooleanField(default=False)  # consumed in services
    active = BooleanField(default=True)


# Unique among active products only: a retired product may leave its code to a new one.
Product.add_index(Product.index(Product.sku, unique=True, name="product_active_sku")
                  .where((Product.active == True) & Product.sku.is_null(False)))  # noqa: E712
Product.add_index(Product.index(Product.barcode, unique=True, name="product_active_barcode")
                  .where((Product.active == True) & Product.barcode.is_null(False)))  # noqa: E712
Product.add_index(Product.index(Product.barcode, name="product_barcode"))


class Warehouse(SyncedModel):
    """A place stock is kept in: the retail shelf, the materials cupboard, or another."""

    name = CharField(max_length=100)
    purpose = CharField(max_length=16)  # retail, materials
    is_default = BooleanField(default=False)  # the one sales (retail) or visits (materials) draw from
    active = BooleanField(default=True)


class Supplier(SyncedModel):
    """Who delivers goods; what the salon owes is derived from receipts and payments (IN3)."""

    name = CharField(max_length=200)
    phone = CharField(max_length=20, default="")
    note = TextField(default="")
    active = BooleanField(default=True)


class SupplierPayment(SyncedModel):
    """Money paid to a supplier against what receipts made payable."""

    supplier = ForeignKeyField(Supplier, backref="payments", on_delete="RESTRICT")
    amount = MoneyField()
    at = UtcDateTimeField(default=utc_now)
    note = TextField(default="")
    created_by = CharField(max_length=36, null=True)


class CostCardLine(SyncedModel):
    """One material a service uses up, in the product's base unit (SV2)."""

    service = ForeignKeyField(Service, backref="cost_card", on_delete="RESTRICT")
    product = ForeignKeyField(Product, backref="cost_cards", on_delete="RESTRICT")
    quantity = QuantityField()
    active = BooleanField(default=True)


CostCardLine.add_index(CostCardLine.index(CostCardLine.service, CostCardLine.product, unique=True,
                                          name="costcardline_active_service_product")
                       .where(CostCardLine.active == True))  # noqa: E712
