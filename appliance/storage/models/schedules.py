"""Work schedules, absences and blocked time (ST2, BK11)."""
from peewee import BooleanField, CharField, DateField, ForeignKeyField, TextField

from appliance.storage.fields import JsonField, UtcDateTimeField
from appliance.storage.models.base import SyncedModel
from appliance.storage.models.catalogue import Equipment, Room, Staff


class WorkPattern(SyncedModel):
    """A weekly template or a shift cycle (2/2) in force from a date."""

    staff = ForeignKeyField(Staff, backref="work_patterns", on_delete="RESTRICT")
    kind = CharField(max_length=8)  # weekly, cycle
    name = CharField(max_length=64, default="")
    days = JsonField()  # per day: list of ["HH:MM", "HH:MM"]
    anchor = DateField(null=True)
    valid_from = DateField()
    valid_until = DateField(null=True)
    active = BooleanField(default=True)


class ScheduleDay(SyncedModel):
    """A single-day change: other hours on one date, or an empty list for a day off."""

    staff = ForeignKeyField(Staff, backref="schedule_days", on_delete="RESTRICT")
    day = DateField()
    intervals = JsonField()
    note = TextField(default="")
    active = BooleanField(default=True)

    class Meta:
        indexes = ((("staff", "day"), False),)


class Absence(SyncedModel):
    """Whole days away with a reason: vacation, sick leave, absence without leave, other."""

    staff = ForeignKeyField(Staff, backref="absences", on_delete="RESTRICT")
    date_from = DateField()
    date_to = DateField()
    reason = CharField(max_length=32)
    note = TextField(default="")
    active = BooleanField(default=True)


class TimeBlock(SyncedModel):
    """Blocked time of a master, a room or equipment: a break, a meeting, maintenance."""

    staff = ForeignKeyField(Staff, null=True, on_delete="RESTRICT")
    room = ForeignKeyField(Room, null=True, on_delete="RESTRICT")
    equipment = ForeignKeyField(Equipment, null=True, on_delete="RESTRICT")
    starts_at = UtcDateTimeField(index=True)
    ends_at = UtcDateTimeField()
    reason = TextField(default="")
    active = BooleanField(default=True)
