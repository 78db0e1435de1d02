"""The salon, its staff, services and bookable resources (BK2, BK13, SV1, ST3)."""
from peewee import BooleanField, CharField, ForeignKeyField, IntegerField, TextField

from appliance.storage.fields import JsonField, MoneyField
from appliance.storage.models.base import SyncedModel


class Salon(SyncedModel):
    """The one salon this box serves: its zone, currency and opening hours."""

    name = CharField(max_length=200)
    timezone = CharField(max_length=64)
    currency = CharField(max_length=3)
    country = CharField(max_length=2)  # default region for phone numbers
    address = TextField(default="")
    phone = CharField(max_length=20, null=True)
    opening_hours = JsonField()  # 7 lists (Mon..Sun) of ["HH:MM", "HH:MM"] pairs
    slot_step_min = IntegerField(default=15)
    lost_after_days = IntegerField(default=90)
    name_order = CharField(max_length=16, default="last_first")
    negative_stock = CharField(max_length=8, default="refuse")  # refuse | allow (stock may go below zero, flagged)


class Staff(SyncedModel):
    """A person who works in the salon; masters are the bookable ones."""

    first_name = CharField(max_length=100)
    last_name = CharField(max_length=100, default="")
    position = CharField(max_length=100, default="")
    role = CharField(max_length=16)  # owner, manager, administrator, master
    phone = CharField(max_length=20, null=True)
    email = CharField(max_length=200, null=True)
    bookable = BooleanField(default=False)
    color = CharField(max_length=7, default="#7c9cbf")
    sort_order = IntegerField(default=0)
    username = CharField(max_length=64, null=True, unique=True)
    password_hash = TextField(null=True)
    locale = CharField(max_length=8, default="ru")
    active = BooleanField(default=True)

    kept_on_box = ("password_hash",)  # never let a password hash leave the box


class ServiceCategory(SyncedModel):
    """A node of the catalogue tree."""

    name = CharField(max_length=200)
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="RESTRICT")
    sort_order = IntegerField(default=0)
    active = BooleanField(default=True)


class Service(SyncedModel):
    """Something a client books: duration, price or price range, needs."""

    category = ForeignKeyField(ServiceCategory, backref="services", on_delete="RESTRICT")
    name = CharField(max_length=200)
    description = TextField(default="")
    duration_min = IntegerField()
    buffer_min = IntegerField(default=0)
    price = MoneyField()
    price_max = MoneyField(null=True)  # set when the price is a range
    room_type = CharField(max_length=64, null=True)
    equipment_type = CharField(max_length=64, null=True)
    bookable_online = BooleanField(default=True)
    sort_order = IntegerField(default=0)
    active = BooleanField(default=True)


class StaffService(SyncedModel):
    """A master's skill: may perform the service, perhaps with own duration and price."""

    staff = ForeignKeyField(Staff, backref="skills", on_delete="RESTRICT")
    service = ForeignKeyField(Service, backref="skills", on_delete="RESTRICT")
    duration_min = IntegerField(null=True)
    price = MoneyField(null=True)
    price_max = MoneyField(null=True)
    active = BooleanField(default=True)

    class Meta:
        indexes = ((("staff", "service"), True),)


class Room(SyncedModel):
    """A room or workplace; capacity is how many bookings it holds at once."""

    name = CharField(max_length=200)
    room_type = CharField(max_length=64)
    capacity = IntegerField(default=1)
    active = BooleanField(default=True)


class Equipment(SyncedModel):
    """An apparatus (laser, solarium...) that one booking at a time can use."""

    name = CharField(max_length=200)
    equipment_type = CharField(max_length=64)
    active = BooleanField(default=True)
