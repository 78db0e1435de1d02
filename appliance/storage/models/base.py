"""Base models: ids, timestamps, and the change log written with every synced change."""
from contextlib import nullcontext
from datetime import date, datetime, timezone
from decimal import Decimal

from peewee import AutoField, BooleanField, CharField, DateField, IntegerField, Model, TextField

from appliance.domain.ids import new_id
from appliance.storage import statements
from appliance.storage.database import database
from appliance.storage.fields import JsonField, MoneyField, UtcDateTimeField
from appliance.storage.models import new_rows

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
        """An unsaved row with its defaults and ``values`` (a foreign key takes a row or an id)."""
        return new_rows.new_row(cls, values)

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
        return new_rows.snapshot(type(self), self.__data__)

    @classmethod
    def prepare_create(cls, writes: statements.PreparedWrites, now: datetime | None = None,
                       **values) -> "SyncedModel":
        """A new row as ``create`` makes it; its INSERT and outbox entry go to ``writes``, to run later.

        ``now``: when it is created (one clock reading for the rows of one change).
        """
        if now is not None:
            values.setdefault("created_at", now)
        row = cls.new(**values)
        row._prepare_insert(writes, now)
        return row

    def _prepare_insert(self, writes: statements.PreparedWrites, now: datetime | None = None) -> None:
        # Every new synced row comes here: its INSERT's parameters and its outbox snapshot come
        # from one pass over the columns (new_rows), the outbox entry from a template per model.
        model, data = type(self), self.__data__
        data["rev"] = (data.get("rev") or 0) + 1
        data["updated_at"] = now or utc_now()
        sql, params, snap = new_rows.insert_and_snapshot(model, data)
        writes.add((sql, params))
        log_sql, log_params, at_id, at_payload, at_recorded = new_rows.outbox_template(ChangeLog, model)
        log_params = log_params.copy()
        log_params[at_id] = data["id"]
        log_params[at_payload] = ChangeLog.payload.db_value(snap)
        log_params[at_recorded] = params[new_rows.column_index(model, "updated_at")]
        writes.add((log_sql, log_params))
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
