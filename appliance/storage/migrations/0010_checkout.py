"""Checkout and the cash register (PO1-PO6, LY3): registers, shifts, cash movements, sales, their lines,
tips and payments, gift certificates, certificate and deposit entries.

Frozen here as they are today, independent of the models and of the other
migration of this round (0009, stock): it refers only to tables of
0001 (staff, client, service, booking, booking_item). Products are plain ids.
"""
from peewee import *  # noqa: F401,F403  (the migration runner's convention)

TABLES = ("deposit_entry", "certificate_entry", "sale_payment", "gift_certificate", "sale_tip", "sale_line",
          "sale", "cash_movement", "cash_shift", "cash_register")


def _stub(db, name):
    class Stub(Model):
        id = CharField(primary_key=True, max_length=36)

        class Meta:
            database = db
            table_name = name

    return Stub


def _synced(db):
    class Synced(Model):
        id = CharField(primary_key=True, max_length=36)
        rev = IntegerField(default=0)
        synced_rev = IntegerField(default=0)
        created_at = TextField()
        updated_at = TextField()

        class Meta:
            database = db

    return Synced


def _cash(synced, staff_t):
    class CashRegister(synced):
        name = CharField(max_length=100)
        driver = CharField(max_length=16, default="non_fiscal")
        address = CharField(max_length=200, default="")
        operator_password = IntegerField(default=30)
        last_receipt_number = IntegerField(default=0)
        last_shift_number = IntegerField(default=0)
        active = BooleanField(default=True)

        class Meta:
            table_name = "cash_register"

    class CashShift(synced):
        register = ForeignKeyField(CashRegister, on_delete="RESTRICT")
        number = IntegerField()
        status = CharField(max_length=8, default="open")
        opened_at = TextField()
        opened_by = ForeignKeyField(staff_t, on_delete="RESTRICT")
        opening_cash = IntegerField()
        closed_at = TextField(null=True)
        closed_by = ForeignKeyField(staff_t, null=True, on_delete="RESTRICT", index=False)
        z_totals = TextField(null=True)

        class Meta:
            table_name = "cash_shift"
            indexes = ((("register", "number"), True),)

    CashShift.add_index(CashShift.index(CashShift.register, unique=True, name="cashshift_one_open")
                        .where(CashShift.status == "open"))

    class CashMovement(synced):
        shift = ForeignKeyField(CashShift, on_delete="RESTRICT")
        kind = CharField(max_length=8)
        amount = IntegerField()
        item = CharField(max_length=64)
        note = TextField(default="")
        created_by = ForeignKeyField(staff_t, on_delete="RESTRICT", index=False)

        class Meta:
            table_name = "cash_movement"

    return CashRegister, CashShift, CashMovement


def _sales(synced, db, register_t, shift_t):
    # Class bodies do not see enclosing names they also assign: the referenced tables get _t names.
    staff_t, client_t, service_t = _stub(db, "staff"), _stub(db, "client"), _stub(db, "service")
    booking_t, booking_item_t = _stub(db, "booking"), _stub(db, "booking_item")

    class Sale(synced):
        kind = CharField(max_length=8, default="sale")
        status = CharField(max_length=10, default="open")
        booking = ForeignKeyField(booking_t, null=True, on_delete="RESTRICT")
        client = ForeignKeyField(client_t, null=True, on_delete="RESTRICT", index=False)
        original = ForeignKeyField("self", null=True, on_delete="RESTRICT")
        register = ForeignKeyField(register_t, null=True, on_delete="RESTRICT", index=False)
        shift = ForeignKeyField(shift_t, null=True, on_delete="RESTRICT")
        number = IntegerField(null=True)
        currency = CharField(max_length=3)
        subtotal = IntegerField(default=0)
        line_discounts = IntegerField(default=0)
        check_discount = IntegerField(default=0)
        total = IntegerField(default=0)
        tips_total = IntegerField(default=0)
        change = IntegerField(default=0)
        check_discount_kind = CharField(max_length=8, null=True)
        check_discount_value = IntegerField(null=True)
        check_discount_by = CharField(max_length=36, null=True)
        check_discount_reason = TextField(default="")
        reason = TextField(default="")
        opened_by = CharField(max_length=36, null=True)
        cashier = ForeignKeyField(staff_t, null=True, on_delete="RESTRICT", index=False)
        paid_at = TextField(null=True)
        fiscal_driver = CharField(max_length=16, default="")
        fiscal_document = CharField(max_length=64, default="")

        class Meta:
            table_name = "sale"

    Sale.add_index(Sale.index(Sale.register, Sale.number, unique=True, name="sale_register_number")
                   .where(Sale.number.is_null(False)))

    class SaleLine(synced):
        sale = ForeignKeyField(Sale, on_delete="RESTRICT")
        position = IntegerField()
        kind = CharField(max_length=12)
        name = CharField(max_length=200)
        booking_item = ForeignKeyField(booking_item_t, null=True, on_delete="RESTRICT", index=False)
        service = ForeignKeyField(service_t, null=True, on_delete="RESTRICT", index=False)
        product_id = CharField(max_length=36, null=True)
        master = ForeignKeyField(staff_t, null=True, on_delete="RESTRICT", index=False)
        quantity = IntegerField()
        unit_price = IntegerField()
        price_min = IntegerField(null=True)
        price_max = IntegerField(null=True)
        discount_kind = CharField(max_length=8, null=True)
        discount_value = IntegerField(null=True)
        discount_by = CharField(max_length=36, null=True)
        discount_reason = TextField(default="")
        gross = IntegerField(default=0)
        discount = IntegerField(default=0)
        check_share = IntegerField(default=0)
        net = IntegerField(default=0)
        certificate_code = CharField(max_length=16, null=True)
        original_line = ForeignKeyField("self", null=True, on_delete="RESTRICT", index=False)
        active = BooleanField(default=True)

        class Meta:
            table_name = "sale_line"

    class SaleTip(synced):
        sale = ForeignKeyField(Sale, on_delete="RESTRICT")
        master = ForeignKeyField(staff_t, on_delete="RESTRICT", index=False)
        amount = IntegerField()
        active = BooleanField(default=True)

        class Meta:
            table_name = "sale_tip"

    return Sale, SaleLine, SaleTip, client_t


def _money_rows(synced, sale_t, line_t, shift_t, client_t):
    class GiftCertificate(synced):
        code = CharField(max_length=16, unique=True)
        amount = IntegerField()
        balance = IntegerField()
        status = CharField(max_length=8, default="active")
        sale_line = ForeignKeyField(line_t, on_delete="RESTRICT", index=False)
        client = ForeignKeyField(client_t, null=True, on_delete="RESTRICT", index=False)
        activated_at = TextField()
        expires_on = DateField()

        class Meta:
            table_name = "gift_certificate"

    class SalePayment(synced):
        sale = ForeignKeyField(sale_t, on_delete="RESTRICT")
        shift = ForeignKeyField(shift_t, on_delete="RESTRICT")
        kind = CharField(max_length=8)
        method = CharField(max_length=16)
        amount = IntegerField()
        tendered = IntegerField(null=True)
        change = IntegerField(default=0)
        certificate = ForeignKeyField(GiftCertificate, null=True, on_delete="RESTRICT", index=False)
        client = ForeignKeyField(client_t, null=True, on_delete="RESTRICT", index=False)
        refund_of = ForeignKeyField("self", null=True, on_delete="RESTRICT", index=False)

        class Meta:
            table_name = "sale_payment"

    class CertificateEntry(synced):
        certificate = ForeignKeyField(GiftCertificate, on_delete="RESTRICT")
        sale = ForeignKeyField(sale_t, on_delete="RESTRICT", index=False)
        kind = CharField(max_length=8)
        amount = IntegerField()

        class Meta:
            table_name = "certificate_entry"

    class DepositEntry(synced):
        client = ForeignKeyField(client_t, on_delete="RESTRICT")
        sale = ForeignKeyField(sale_t, on_delete="RESTRICT", index=False)
        kind = CharField(max_length=8)
        amount = IntegerField()

        class Meta:
            table_name = "deposit_entry"

    return GiftCertificate, SalePayment, CertificateEntry, DepositEntry


def up(migrator, db):
    synced = _synced(db)
    register, shift, movement = _cash(synced, _stub(db, "staff"))
    sale, line, tip, client = _sales(synced, db, register, shift)
    db.create_tables([register, shift, movement, sale, line, tip,
                      *_money_rows(synced, sale, line, shift, client)])


def down(migrator, db):
    migrator.migrate(*(migrator.drop_table(name) for name in TABLES))
