"""Base models: ids, timestamps, and the change log written with every synced change."""
from contextlib import nullcontext
from functools import lru_cache
from datetime import date, datetime, time, timezone
from decimal import Decimal

from peewee import AutoField, BooleanField, CharField, DateField, ForeignKeyField, IntegerField, Model, TextField

from appliance.domain.ids import new_id
from appliance.storage import statements
from appliance.storage.database import database
from appliance.storage.fields import JsonField, MoneyField, UtcDateTimeField

SCHEMA_VERSION = 2  # version of the payloads in the change log (SY6): sync.schemas


def utc_now() -> datetime:
    """The current instant, aware, in UTC."""
    return datetime.now(timezone.utc)


class BaseModel(Model):
    """Every table of the box."""

    class Meta:
        database = database
        legacy_table_names = False

    @classmethod
    def create(cls, **values):
        """Peewee's ``create``, with plain values placed straight into the row's data."""
        row = cls.new(**values)
        row.save(force_insert=True)
        return row

    @classmethod
    def new(cls, **values):
        """An unsaved row with its defaults and ``values``.

        Foreign keys still go through their accessors (they take a row or an id).
        """
        row = cls(__no_default__=1)
        row.__data__ = cls._meta.get_default_dict()
        fields = cls._meta.fields
        for name, value in values.items():
            field = fields.get(name)
            if field is None or isinstance(field, ForeignKeyField):
                setattr(row, name, value)
            else:
                row.__data__[name] = value
        return row

    def save(self, force_insert=False, only=None):
        """Write the whole row with a statement compiled once per model (see storage.statements).

        Returns the number of rows written, as peewee's save does.
        """
        if only is not None:
            return super().save(force_insert=force_insert, only=only)
        if force_insert or self._pk is None:
            statements.insert_row(self)
            return 1
        return statements.update_row(self)


class ChangeLog(BaseModel):
    """The outbox: every change to a synced row, in commit order (SY1, SY3).

    Written in the same transaction as the change itself, so the sync agent
    never misses or invents one; ``seq`` is the box's order of events.
    """

    seq = AutoField()
    entity = CharField(max_length=64)
    entity_id = CharField(max_length=36)
    op = CharField(max_length=16)
    changed = JsonField()
    payload = JsonField()
    schema = IntegerField(default=SCHEMA_VERSION)
    recorded_at = UtcDateTimeField()

    @classmethod
    def append(cls, entity: str, entity_id: str, changed: list, payload: dict, recorded_at: datetime) -> None:
        """Add one upsert to the outbox (inside the change's own transaction).

        Straight to the compiled INSERT, without a row object: every synced update comes here.
        """
        statements.insert_values(cls, {"entity": entity, "entity_id": entity_id, "op": "upsert",
                                       "changed": changed, "payload": payload, "schema": SCHEMA_VERSION,
                                       "recorded_at": recorded_at})

    @classmethod
    def new_row_statement(cls, model, entity_id: str, payload: dict, recorded_at: datetime) -> tuple[str, list]:
        """The INSERT of a new ``model`` row's upsert: every field changed, its list encoded once per model."""
        fields, _, sql = statements.insert_columns(cls)
        values = {"entity": model._meta.table_name, "entity_id": entity_id, "op": "upsert",
                  "changed": _all_fields_changed(model), "payload": cls.payload.db_value(payload),
                  "schema": SCHEMA_VERSION, "recorded_at": cls.recorded_at.db_value(recorded_at)}
        return sql, [values.get(f.name) for f in fields]


@lru_cache(maxsize=None)
def _all_fields_changed(model) -> str:
    return ChangeLog.changed.db_value(list(model._meta.sorted_field_names))


def _utc_iso(value: datetime) -> str:
    if value.tzinfo is timezone.utc:
        return value.replace(tzinfo=None).isoformat() + "Z"
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


# By exact type: this runs for every field of every change written to the outbox.
_JSON_FORMS = {Decimal: str, datetime: _utc_iso, date: date.isoformat, time: time.isoformat}


def json_value(value):
    """A field value as plain JSON: decimals and times as ISO strings."""
    form = _JSON_FORMS.get(type(value))
    return value if form is None else form(value)


# Kept by the box itself when a row comes down from the cloud: its own revision counter and
# the password hash, which never leaves the box.
META_NOT_APPLIED = frozenset({"rev", "password_hash"})


def from_json_value(field, value):
    """The inverse of ``json_value`` for one field: what a snapshot holds, back as the field's Python value."""
    if value is None:
        return None
    if isinstance(field, MoneyField):
        return Decimal(str(value))
    if isinstance(field, UtcDateTimeField):
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(timezone.utc)
    if isinstance(field, DateField):
        return date.fromisoformat(value)
    if isinstance(field, BooleanField):
        return bool(value)
    return value


@lru_cache(maxsize=None)
def _outbox_forms(model) -> tuple:
    """Per field, in column order: (is money, goes to the outbox)."""
    return tuple((isinstance(f, MoneyField), f.name not in model.kept_on_box) for f in model._meta.sorted_fields)


class SyncedModel(BaseModel):
    """A row that travels to the cloud: UUIDv7 id, revision, and an outbox entry per save."""

    # Fields that never leave the box in the outbox (Staff: the password hash).
    kept_on_box: tuple = ()

    id = CharField(primary_key=True, max_length=36, default=new_id)
    rev = IntegerField(default=0)
    synced_rev = IntegerField(default=0)  # the cloud's revision of this row when the box last received it
    created_at = UtcDateTimeField(default=utc_now)
    updated_at = UtcDateTimeField(default=utc_now)

    def snapshot(self) -> dict:
        """The row as JSON-ready data, foreign keys by id; money as the column reads it back ("150000.00")."""
        data, snap = self.__data__, {}
        for field, (money, sent) in zip(self._meta.sorted_fields, _outbox_forms(type(self))):
            if sent:
                value = data.get(field.name)
                snap[field.name] = (str(field.python_value(field.db_value(value))) if money and value is not None
                                    else json_value(value))
        return snap

    @classmethod
    def prepare_create(cls, writes: statements.PreparedWrites, **values) -> "SyncedModel":
        """A new row as ``create`` makes it; its INSERT and outbox entry go to ``writes``, to run later."""
        row = cls.new(**values)
        row._prepare_insert(writes)
        return row

    def _prepare_insert(self, writes: statements.PreparedWrites) -> None:
        # One pass over the fields gives the INSERT's parameters and the outbox snapshot (as
        # ``snapshot()`` makes it, money as the column reads it back): every new synced row comes here.
        model = type(self)
        self.rev = (self.rev or 0) + 1
        self.updated_at = utc_now()
        fields, plain, sql = statements.insert_columns(model)  # the columns in sorted_fields order
        data, params, snap = self.__data__, [], {}
        for field, kind, (money, sent) in zip(fields, plain, _outbox_forms(model)):
            value = data.get(field.name)
            param = value if value is None or type(value) is kind else field.db_value(value)
            params.append(param)
            if not sent:
                continue
            if money and param is not None:
                snap[field.name] = str(field.python_value(param))
            else:
                form = _JSON_FORMS.get(type(value))
                snap[field.name] = value if form is None else form(value)
        writes.add((sql, params))
        writes.add(ChangeLog.new_row_statement(model, self.id, snap, self.updated_at))
        self._dirty.clear()

    def save(self, force_insert=False, only=None):
        """Save and append the change to the outbox, atomically.

        A UUID primary key is set before the first save, so peewee cannot tell
        an insert from an update: new rows go through ``create()`` (which
        forces the insert) and a plain ``save()`` must update an existing row.
        """
        # Inside a transaction already (the usual case) a savepoint would add two statements.
        with nullcontext() if database.in_transaction() else database.atomic():
            if force_insert and only is None:
                writes = statements.PreparedWrites()
                self._prepare_insert(writes)
                writes.run()
                return 1
            changed = sorted(f.name for f in self.dirty_fields)
            self.rev = (self.rev or 0) + 1
            self.updated_at = utc_now()
            result = super().save(force_insert=force_insert, only=only)
            if not force_insert and result != 1:
                raise LookupError(f"{type(self).__name__} {self.id} does not exist")
            ChangeLog.append(self._meta.table_name, self.id, changed, self.snapshot(), self.updated_at)
        return result

    def delete_instance(self, *args, **kwargs):
        """Synced rows are never deleted; they become inactive (SV6)."""
        raise TypeError(f"{type(self).__name__} rows are deactivated, never deleted")


class SyncState(BaseModel):
    """The box's side of the sync streams, and what the administrator sees of the link (SY3)."""

    key = CharField(primary_key=True, max_length=32, default="cloud")
    up_acked = IntegerField(default=0)  # change_log seq the cloud has durably applied
    down_applied = IntegerField(default=0)  # cloud stream seq this box has applied
    last_ack_at = UtcDateTimeField(null=True)
    last_down_at = UtcDateTimeField(null=True)
    last_error = TextField(null=True)
    last_error_at = UtcDateTimeField(null=True)
    connected = BooleanField(default=False)


class AuditLog(BaseModel):
    """Who changed money, bookings, stock, payroll or permissions, and how (PL3)."""

    id = AutoField()
    at = UtcDateTimeField(default=utc_now)
    actor_kind = CharField(max_length=16)  # staff, device, system
    actor_id = CharField(max_length=36, null=True)
    action = CharField(max_length=64)
    entity = CharField(max_length=64)
    entity_id = CharField(max_length=36)
    details = JsonField(null=True)
    note = TextField(null=True)
