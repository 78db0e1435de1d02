"""Stock (IN1-IN9, SV2, SV3): products, warehouses, suppliers, cost cards, the movement ledger, on-hand.

Frozen here as they are today, independent of the models and of the other
migrations of this round: it refers only to tables of the first schema
(salon, service). The default warehouses are not made here: the stock
services create them on first use, so boxes set up later get them too.
"""
from peewee import *  # noqa: F401,F403  (the migration runner's convention)

TABLES = ("stock_balance", "stocktake_line", "stock_movement", "stock_lot", "stock_document", "cost_card_line",
          "supplier_payment", "supplier", "warehouse", "product")


def _synced(db, table, **columns):
    attrs = {"id": CharField(primary_key=True, max_length=36), "rev": IntegerField(default=0),
             "synced_rev": IntegerField(default=0), "created_at": TextField(), "updated_at": TextField(),
             **columns, "Meta": type("Meta", (), {"database": db, "table_name": table})}
    return type(table.title().replace("_", ""), (Model,), attrs)


def _master_tables(db):
    service = _synced(db, "service")
    product = _synced(db, "product", name=CharField(max_length=200), sku=CharField(max_length=64, null=True),
                      barcode=CharField(max_length=64, null=True), unit=CharField(max_length=8, default="pcs"),
                      pack_size=IntegerField(default=1000), retail_price=IntegerField(default=0),
                      staff_price=IntegerField(null=True), cost_price=IntegerField(null=True),
                      category=CharField(max_length=100, default=""), low_stock_level=IntegerField(null=True),
                      track_expiry=BooleanField(default=False), retail=BooleanField(default=True),
                      material=BooleanField(default=False), active=BooleanField(default=True))
    product.add_index(product.index(product.sku, unique=True, name="product_active_sku")
                      .where((product.active == True) & product.sku.is_null(False)))  # noqa: E712
    product.add_index(product.index(product.barcode, unique=True, name="product_active_barcode")
                      .where((product.active == True) & product.barcode.is_null(False)))  # noqa: E712
    product.add_index(product.index(product.barcode, name="product_barcode"))
    warehouse = _synced(db, "warehouse", name=CharField(max_length=100), purpose=CharField(max_length=16),
                        is_default=BooleanField(default=False), active=BooleanField(default=True))
    supplier = _synced(db, "supplier", name=CharField(max_length=200), phone=CharField(max_length=20, default=""),
                       note=TextField(default=""), active=BooleanField(default=True))
    payment = _synced(db, "supplier_payment", supplier=ForeignKeyField(supplier, on_delete="RESTRICT"),
                      amount=IntegerField(), at=TextField(), note=TextField(default=""),
                      created_by=CharField(max_length=36, null=True))
    card = _synced(db, "cost_card_line", service=ForeignKeyField(service, on_delete="RESTRICT"),
                   product=ForeignKeyField(product, on_delete="RESTRICT"), quantity=IntegerField(),
                   active=BooleanField(default=True))
    card.add_index(card.index(card.service, card.product, unique=True, name="costcardline_active_service_product")
                   .where(card.active == True))  # noqa: E712
    return product, warehouse, supplier, payment, card


def _ledger_tables(db, product, warehouse, supplier):
    null36 = dict(max_length=36, null=True)
    document = _synced(
        db, "stock_document", kind=CharField(max_length=16), status=CharField(max_length=12, default="posted"),
        warehouse=ForeignKeyField(warehouse, on_delete="RESTRICT"),
        to_warehouse=ForeignKeyField(warehouse, null=True, on_delete="RESTRICT", index=False),
        supplier=ForeignKeyField(supplier, null=True, on_delete="RESTRICT"),
        supplier_ref=CharField(max_length=64, default=""), total_cost=IntegerField(null=True),
        paid=IntegerField(null=True), reason=TextField(default=""), sale_id=CharField(index=True, **null36),
        return_id=CharField(**null36), booking_id=CharField(index=True, **null36), client_id=CharField(**null36),
        master_id=CharField(**null36), reverses=ForeignKeyField("self", null=True, on_delete="RESTRICT", index=False),
        went_negative=BooleanField(default=False), posted_at=TextField(null=True, index=True),
        created_by=CharField(**null36), posted_by=CharField(**null36))
    document.add_index(document.index(document.booking_id, unique=True, name="stockdocument_visit_once")
                       .where((document.kind == "consumption") & (document.status == "posted")))
    lot = _synced(db, "stock_lot", product=ForeignKeyField(product, on_delete="RESTRICT"),
                  warehouse=ForeignKeyField(warehouse, on_delete="RESTRICT"), code=CharField(max_length=64, default=""),
                  expires_on=DateField(null=True), received_at=TextField(), remaining=IntegerField(default=0))
    lot._meta.indexes = [(("product", "warehouse", "expires_on"), False)]
    movement = _synced(
        db, "stock_movement", document=ForeignKeyField(document, on_delete="RESTRICT"),
        product=ForeignKeyField(product, on_delete="RESTRICT", index=False),
        warehouse=ForeignKeyField(warehouse, on_delete="RESTRICT", index=False), quantity=IntegerField(),
        pack_size=IntegerField(), unit_cost=IntegerField(null=True), norm=IntegerField(null=True), at=TextField(),
        lot=ForeignKeyField(lot, null=True, on_delete="RESTRICT", index=False), master_id=CharField(**null36),
        client_id=CharField(**null36), service_id=CharField(**null36), booking_id=CharField(**null36),
        sale_id=CharField(**null36))
    movement._meta.indexes = [(("product", "warehouse", "at"), False), (("at",), False)]
    count = _synced(db, "stocktake_line", document=ForeignKeyField(document, on_delete="RESTRICT"),
                    product=ForeignKeyField(product, on_delete="RESTRICT"), expected=IntegerField(),
                    counted=IntegerField())
    count._meta.indexes = [(("document", "product"), True)]

    balance = type("StockBalance", (Model,), {
        "id": AutoField(), "warehouse": ForeignKeyField(warehouse, on_delete="RESTRICT", index=False),
        "product": ForeignKeyField(product, on_delete="RESTRICT"), "quantity": IntegerField(default=0),
        "Meta": type("Meta", (), {"database": db, "table_name": "stock_balance",
                                  "indexes": ((("warehouse", "product"), True),)})})
    return document, lot, movement, count, balance


def up(migrator, db):
    product, warehouse, supplier, payment, card = _master_tables(db)
    ledger = _ledger_tables(db, product, warehouse, supplier)
    db.create_tables([product, warehouse, supplier, payment, card, *ledger])
    migrator.migrate(migrator.add_column("salon", "negative_stock", CharField(max_length=8, default="refuse")))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("salon", "negative_stock"),
                     *(migrator.drop_table(name) for name in TABLES))
