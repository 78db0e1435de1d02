"""Bookings, their items and history, recurring series, group events (BK3-BK8)."""
from peewee import BooleanField, CharField, ForeignKeyField, IntegerField, TextField

from appliance.storage.fields import JsonField, MoneyField, UtcDateTimeField
from appliance.storage.models.base import SyncedModel
from appliance.storage.models.catalogue import Equipment, Room, Service, Staff
from appliance.storage.models.clients import Client


class BookingSeries(SyncedModel):
    """A recurring booking: the rule that made its occurrences (BK4)."""

    every = IntegerField()
    unit = CharField(max_length=8)  # day, week
    count = IntegerField()


class Booking(SyncedModel):
    """One visit of one client: one or more services in sequence."""

    code = CharField(max_length=8, index=True)  # short code for the kiosk and phone
    client = ForeignKeyField(Client, backref="bookings", on_delete="RESTRICT")
    status = CharField(max_length=16)
    source = CharField(max_length=16, default="admin")  # admin, phone, online, kiosk
    comment = TextField(default="")
    status_reason = TextField(default="")
    series = ForeignKeyField(BookingSeries, null=True, backref="bookings", on_delete="RESTRICT", index=False)
    starts_at = UtcDateTimeField(index=True)
    ends_at = UtcDateTimeField()
    total = MoneyField()
    created_by = CharField(max_length=36, null=True)
    created_by_kind = CharField(max_length=16, null=True)  # the actor's kind: staff, device, ... (0016)


class BookingItem(SyncedModel):
    """One service of a booking: master, room, equipment and exact times."""

    booking = ForeignKeyField(Booking, backref="items", on_delete="RESTRICT")
    position = IntegerField()
    # No single-column indexes: the (resource, starts_at) ones below serve those lookups, and
    # nothing often looks items up by service (migration 0014 dropped that index).
    service = ForeignKeyField(Service, on_delete="RESTRICT", index=False)
    master = ForeignKeyField(Staff, on_delete="RESTRICT", index=False)
    room = ForeignKeyField(Room, null=True, on_delete="RESTRICT", index=False)
    equipment = ForeignKeyField(Equipment, null=True, on_delete="RESTRICT", index=False)
    starts_at = UtcDateTimeField()
    ends_at = UtcDateTimeField()
    busy_until = UtcDateTimeField()  # end plus the clean-up buffer
    price = MoneyField()
    active = BooleanField(default=True)  # false once removed from the booking

    class Meta:
        indexes = ((("master", "starts_at"), False),)


# Partial: most bookings have no series, room or equipment, so they write no page of these.
Booking.add_index(Booking.index(Booking.series, name="booking_series_id").where(Booking.series.is_null(False)))
BookingItem.add_index(BookingItem.index(BookingItem.room, BookingItem.starts_at, name="bookingitem_room_id_starts_at")
                      .where(BookingItem.room.is_null(False)))
BookingItem.add_index(BookingItem.index(BookingItem.equipment, BookingItem.starts_at,
                                        name="bookingitem_equipment_id_starts_at")
                      .where(BookingItem.equipment.is_null(False)))


class BookingEvent(SyncedModel):
    """One entry of a booking's history: created, moved, edited, status changed (BK7)."""

    booking = ForeignKeyField(Booking, backref="events", on_delete="RESTRICT")
    kind = CharField(max_length=16)
    from_status = CharField(max_length=16, null=True)
    to_status = CharField(max_length=16, null=True)
    reason = TextField(default="")
    changes = JsonField(default=dict)
    actor_kind = CharField(max_length=16)
    actor_id = CharField(max_length=36, null=True)


class GroupEvent(SyncedModel):
    """A class or group service with a capacity and attendees (BK5)."""

    title = CharField(max_length=200)
    service = ForeignKeyField(Service, on_delete="RESTRICT")
    master = ForeignKeyField(Staff, on_delete="RESTRICT")
    room = ForeignKeyField(Room, null=True, on_delete="RESTRICT")
    equipment = ForeignKeyField(Equipment, null=True, on_delete="RESTRICT")
    starts_at = UtcDateTimeField(index=True)
    ends_at = UtcDateTimeField()
    busy_until = UtcDateTimeField()
    capacity = IntegerField()
    price = MoneyField()
    status = CharField(max_length=16, default="scheduled")  # scheduled, cancelled
    active = BooleanField(default=True)


class GroupAttendee(SyncedModel):
    """A client signed up for a group event."""

    event = ForeignKeyField(GroupEvent, backref="attendees", on_delete="RESTRICT")
    client = ForeignKeyField(Client, on_delete="RESTRICT")
    status = CharField(max_length=16, default="booked")  # booked, arrived, cancelled, no_show

    class Meta:
        indexes = ((("event", "client"), True),)


class OnlineRequest(SyncedModel):
    """A booking asked for online (the cloud's booking page or a bot), decided by this box (SY4, BK9).

    Made in the cloud as ``tentative`` and sent down; the box, the authority
    for its own journal, books it (``confirmed``) or finds it clashes
    (``conflict``): then the administrator sees it with the client's contacts
    and settles it (``handled``). Never dropped, never double-booked.
    """

    client_name = CharField(max_length=200)
    client_phone = CharField(max_length=20)
    client = ForeignKeyField(Client, null=True, on_delete="RESTRICT")
    items = JsonField(default=list)  # [{"service_id", "master_id"}]
    starts_at = UtcDateTimeField()
    comment = TextField(default="")
    status = CharField(max_length=16, default="tentative")  # tentative, confirmed, conflict, handled
    booking = ForeignKeyField(Booking, null=True, on_delete="RESTRICT")
    reason = TextField(default="")
    decided_at = UtcDateTimeField(null=True)
    handled_note = TextField(default="")
