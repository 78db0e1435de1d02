"""Initial schema of the salon box (frozen: independent of today's models)."""
from peewee import *


def up(migrator, db):
    class Staff(Model):
        id = CharField(primary_key=True, max_length=36)
        rev = IntegerField(default=0)
        created_at = TextField()
        updated_at = TextField()
        first_name = CharField(max_length=100)
        last_name = CharField(max_length=100, default='')
        position = CharField(max_length=100, default='')
        role = CharField(max_length=16)
        phone = CharField(null=True, max_length=20)
        email = CharField(null=True, max_length=200)
        bookable = BooleanField(default=False)
        color = CharField(max_length=7, default='#7c9cbf')
        sort_order = IntegerField(default=0)
        username = CharField(unique=True, null=True, max_length=64)
        password_hash = TextField(null=True)
        locale = CharField(max_length=8, default='ru')
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'staff'
    db.create_tables([Staff])

    class Absence(Model):
        id = CharField(primary_key=True, max_length=36)
        rev = IntegerField(default=0)
        created_at = TextField()
        updated_at = TextField()
        staff = ForeignKeyField(Staff, on_delete='RESTRICT')
        date_from = DateField()
        date_to = DateField()
        reason = CharField(max_length=32)
        note = TextField(default='')
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'absence'
    db.create_tables([Absence])

    class Device(Model):
        id = CharField(primary_key=True, max_length=36)
        name = CharField(max_length=100)
        kind = CharField(max_length=16, default='kiosk')
        active = BooleanField(default=True)
        created_at = TextField()
        class Meta:
            database = db
            table_name = 'device'
    db.create_tables([Device])

    class ApiToken(Model):
        id = CharField(primary_key=True, max_length=36)
        token_hash = CharField(unique=True, max_length=64)
        staff = ForeignKeyField(Staff, null=True, on_delete='RESTRICT')
        device = ForeignKeyField(Device, null=True, on_delete='RESTRICT')
        created_at = TextField()
        expires_at = TextField(null=True)
        revoked = BooleanField(default=False)
        class Meta:
            database = db
            table_name = 'api_token'
    db.create_tables([ApiToken])

    class AuditLog(Model):
        at = TextField()
        actor_kind = CharField(max_length=16)
        actor_id = CharField(null=True, max_length=36)
        action = CharField(max_length=64)
        entity = CharField(max_length=64)
        entity_id = CharField(max_length=36)
        details = TextField(null=True)
        note = TextField(null=True)
        class Meta:
            database = db
            table_name = 'audit_log'
    db.create_tables([AuditLog])

    class Client(Model):
        id = CharField(primary_key=True, max_length=36)
        rev = IntegerField(default=0)
        created_at = TextField()
        updated_at = TextField()
        first_name = CharField(max_length=100)
        last_name = CharField(max_length=100, default='')
        middle_name = CharField(max_length=100, default='')
        phone = CharField(index=True, null=True, max_length=20)
        extra_phones = TextField()
        email = CharField(null=True, max_length=200)
        birthday = DateField(null=True)
        gender = CharField(null=True, max_length=8)
        source = CharField(null=True, max_length=64)
        notes = TextField(default='')
        allergies = TextField(default='')
        preferences = TextField()
        consents = TextField()
        tags = TextField()
        card_number = CharField(index=True, null=True, max_length=32)
        joined_on = DateField()
        visit_count = IntegerField(default=0)
        first_visit_at = TextField(null=True)
        last_visit_at = TextField(null=True)
        merged_into = ForeignKeyField('self', null=True, on_delete='RESTRICT')
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'client'
    db.create_tables([Client])

    class BookingSeries(Model):
        id = CharField(primary_key=True, max_length=36)
        rev = IntegerField(default=0)
        created_at = TextField()
        updated_at = TextField()
        every = IntegerField()
        unit = CharField(max_length=8)
        count = IntegerField()
        class Meta:
            database = db
            table_name = 'booking_series'
    db.create_tables([BookingSeries])

    class Booking(Model):
        id = CharField(primary_key=True, max_length=36)
        rev = IntegerField(default=0)
        created_at = TextField()
        updated_at = TextField()
        code = CharField(index=True, max_length=8)
        client = ForeignKeyField(Client, on_delete='RESTRICT')
        status = CharField(index=True, max_length=16)
        source = CharField(max_length=16, default='admin')
        comment = TextField(default='')
        status_reason = TextField(default='')
        series = ForeignKeyField(BookingSeries, null=True, on_delete='RESTRICT')
        starts_at = TextField(index=True)
        ends_at = TextField()
        total = IntegerField()
        created_by = CharField(null=True, max_length=36)
        class Meta:
            database = db
            table_name = 'booking'
    db.create_tables([Booking])

    class BookingEvent(Model):
        id = CharField(primary_key=True, max_length=36)
        rev = IntegerField(default=0)
        created_at = TextField()
        updated_at = TextField()
        booking = ForeignKeyField(Booking, on_delete='RESTRICT')
        kind = CharField(max_length=16)
        from_status = CharField(null=True, max_length=16)
        to_status = CharField(null=True, max_length=16)
        reason = TextField(default='')
        changes = TextField()
        actor_kind = CharField(max_length=16)
        actor_id = CharField(null=True, max_length=36)
        class Meta:
            database = db
            table_name = 'booking_event'
    db.create_tables([BookingEvent])

    class ServiceCategory(Model):
        id = CharField(primary_key=True, max_length=36)
        rev = IntegerField(default=0)
        created_at = TextField()
        updated_at = TextField()
        name = CharField(max_length=200)
        parent = ForeignKeyField('self', null=True, on_delete='RESTRICT')
        sort_order = IntegerField(default=0)
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'service_category'
    db.create_tables([ServiceCategory])

    class Service(Model):
        id = CharField(primary_key=True, max_length=36)
        rev = IntegerField(default=0)
        created_at = TextField()
        updated_at = TextField()
        category = ForeignKeyField(ServiceCategory, on_delete='RESTRICT')
        name = CharField(max_length=200)
        description = TextField(default='')
        duration_min = IntegerField()
        buffer_min = IntegerField(default=0)
        price = IntegerField()
        price_max = IntegerField(null=True)
        room_type = CharField(null=True, max_length=64)
        equipment_type = CharField(null=True, max_length=64)
        bookable_online = BooleanField(default=True)
        sort_order = IntegerField(default=0)
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'service'
    db.create_tables([Service])

    class Room(Model):
        id = CharField(primary_key=True, max_length=36)
        rev = IntegerField(default=0)
        created_at = TextField()
        updated_at = TextField()
        name = CharField(max_length=200)
        room_type = CharField(max_length=64)
        capacity = IntegerField(default=1)
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'room'
    db.create_tables([Room])

    class Equipment(Model):
        id = CharField(primary_key=True, max_length=36)
        rev = IntegerField(default=0)
        created_at = TextField()
        updated_at = TextField()
        name = CharField(max_length=200)
        equipment_type = CharField(max_length=64)
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'equipment'
    db.create_tables([Equipment])

    class BookingItem(Model):
        id = CharField(primary_key=True, max_length=36)
        rev = IntegerField(default=0)
        created_at = TextField()
        updated_at = TextField()
        booking = ForeignKeyField(Booking, on_delete='RESTRICT')
        position = IntegerField()
        service = ForeignKeyField(Service, on_delete='RESTRICT')
        master = ForeignKeyField(Staff, on_delete='RESTRICT')
        room = ForeignKeyField(Room, null=True, on_delete='RESTRICT')
        equipment = ForeignKeyField(Equipment, null=True, on_delete='RESTRICT')
        starts_at = TextField()
        ends_at = TextField()
        busy_until = TextField()
        price = IntegerField()
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'booking_item'
            indexes = ((('master', 'starts_at'), False), (('room', 'starts_at'), False), (('equipment', 'starts_at'), False))
    db.create_tables([BookingItem])

    class ChangeLog(Model):
        seq = AutoField()
        entity = CharField(max_length=64)
        entity_id = CharField(max_length=36)
        op = CharField(max_length=16)
        changed = TextField()
        payload = TextField()
        schema = IntegerField(default=1)
        recorded_at = TextField()
        class Meta:
            database = db
            table_name = 'change_log'
    db.create_tables([ChangeLog])

    class Salon(Model):
        id = CharField(primary_key=True, max_length=36)
        rev = IntegerField(default=0)
        created_at = TextField()
        updated_at = TextField()
        name = CharField(max_length=200)
        timezone = CharField(max_length=64)
        currency = CharField(max_length=3)
        country = CharField(max_length=2)
        address = TextField(default='')
        phone = CharField(null=True, max_length=20)
        opening_hours = TextField()
        slot_step_min = IntegerField(default=15)
        lost_after_days = IntegerField(default=90)
        name_order = CharField(max_length=16, default='last_first')
        class Meta:
            database = db
            table_name = 'salon'
    db.create_tables([Salon])

    class ScheduleDay(Model):
        id = CharField(primary_key=True, max_length=36)
        rev = IntegerField(default=0)
        created_at = TextField()
        updated_at = TextField()
        staff = ForeignKeyField(Staff, on_delete='RESTRICT')
        day = DateField()
        intervals = TextField()
        note = TextField(default='')
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'schedule_day'
            indexes = ((('staff', 'day'), False),)
    db.create_tables([ScheduleDay])

    class StaffService(Model):
        id = CharField(primary_key=True, max_length=36)
        rev = IntegerField(default=0)
        created_at = TextField()
        updated_at = TextField()
        staff = ForeignKeyField(Staff, on_delete='RESTRICT')
        service = ForeignKeyField(Service, on_delete='RESTRICT')
        duration_min = IntegerField(null=True)
        price = IntegerField(null=True)
        price_max = IntegerField(null=True)
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'staff_service'
            indexes = ((('staff', 'service'), True),)
    db.create_tables([StaffService])

    class TimeBlock(Model):
        id = CharField(primary_key=True, max_length=36)
        rev = IntegerField(default=0)
        created_at = TextField()
        updated_at = TextField()
        staff = ForeignKeyField(Staff, null=True, on_delete='RESTRICT')
        room = ForeignKeyField(Room, null=True, on_delete='RESTRICT')
        equipment = ForeignKeyField(Equipment, null=True, on_delete='RESTRICT')
        starts_at = TextField(index=True)
        ends_at = TextField()
        reason = TextField(default='')
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'time_block'
    db.create_tables([TimeBlock])

    class WorkPattern(Model):
        id = CharField(primary_key=True, max_length=36)
        rev = IntegerField(default=0)
        created_at = TextField()
        updated_at = TextField()
        staff = ForeignKeyField(Staff, on_delete='RESTRICT')
        kind = CharField(max_length=8)
        name = CharField(max_length=64, default='')
        days = TextField()
        anchor = DateField(null=True)
        valid_from = DateField()
        valid_until = DateField(null=True)
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'work_pattern'
    db.create_tables([WorkPattern])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('work_pattern'))
    migrator.migrate(migrator.drop_table('time_block'))
    migrator.migrate(migrator.drop_table('staff_service'))
    migrator.migrate(migrator.drop_table('schedule_day'))
    migrator.migrate(migrator.drop_table('salon'))
    migrator.migrate(migrator.drop_table('change_log'))
    migrator.migrate(migrator.drop_table('booking_item'))
    migrator.migrate(migrator.drop_table('equipment'))
    migrator.migrate(migrator.drop_table('room'))
    migrator.migrate(migrator.drop_table('service'))
    migrator.migrate(migrator.drop_table('service_category'))
    migrator.migrate(migrator.drop_table('booking_event'))
    migrator.migrate(migrator.drop_table('booking'))
    migrator.migrate(migrator.drop_table('booking_series'))
    migrator.migrate(migrator.drop_table('client'))
    migrator.migrate(migrator.drop_table('audit_log'))
    migrator.migrate(migrator.drop_table('api_token'))
    migrator.migrate(migrator.drop_table('device'))
    migrator.migrate(migrator.drop_table('absence'))
    migrator.migrate(migrator.drop_table('staff'))
