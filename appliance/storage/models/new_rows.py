"""New rows by plans compiled once per model: defaults, INSERT parameters and the outbox payload.

A booking writes three new synced rows (the booking, its item, its history entry) and their
outbox entries. Built the general way (peewee's default dict, a foreign-key accessor per key,
``db_value`` and then ``json_value`` per field, the outbox entry's columns looked up by name)
that was a fifth of a booking's CPU, for values whose conversion is known from the column's
type alone. The plans here do the same conversions with that lookup done once per model.
"""
from functools import lru_cache

from peewee import BooleanField, ForeignKeyField

from appliance.storage import statements
from appliance.storage.fields import JSON_FORMS, MoneyField, UtcDateTimeField

# How a column shows in the outbox payload.
SKIP, MONEY, INSTANT, AS_JSON = range(4)


@lru_cache(maxsize=None)
def row_defaults(model) -> tuple[dict, tuple, dict]:
    """(static defaults, (name, callable) defaults, foreign key name -> (related model, its key)) of ``model``."""
    meta = model._meta
    # The two tables peewee's own get_default_dict reads (tests compare a new row with peewee's).
    keys = {f.name: (f.rel_model, f.rel_field.name) for f in meta.sorted_fields if isinstance(f, ForeignKeyField)}
    return dict(meta._default_by_name), tuple(meta._default_callable_list), keys


def new_row(model, values: dict):
    """An unsaved ``model`` row with its defaults and ``values``, as the field accessors would set them.

    A foreign key takes a row (kept as the related row, its key stored) or a plain key.
    """
    static, made, keys = row_defaults(model)
    row = model(__no_default__=1)
    data = row.__data__ = static.copy()
    for name, make in made:
        if name not in values:
            data[name] = make()
    fields = model._meta.fields
    for name, value in values.items():
        key = keys.get(name)
        if key is not None:
            if isinstance(value, key[0]):
                data[name] = getattr(value, key[1])
                row.__rel__[name] = value
            else:
                data[name] = value
        elif name in fields:
            data[name] = value
        else:
            setattr(row, name, value)
    return row


def _plain_type(field):
    if type(field) is BooleanField:
        return bool  # BooleanField.db_value is bool(): a bool goes in as it is
    return statements.plain_type(field)


@lru_cache(maxsize=None)
def insert_plan(model) -> tuple[tuple, str]:
    """Per column of the INSERT (key included): (name, type stored as it is, db_value, python_value,
    outbox form); and the SQL."""
    fields, _, sql = statements.insert_columns(model)
    columns = []
    for field in fields:
        if field.name in model.kept_on_box:
            form = SKIP
        elif isinstance(field, MoneyField):
            form = MONEY
        elif isinstance(field, UtcDateTimeField):
            form = INSTANT
        else:
            form = AS_JSON
        columns.append((field.name, _plain_type(field), field.db_value, field.python_value, form))
    return tuple(columns), sql


@lru_cache(maxsize=None)
def column_index(model, name: str) -> int:
    """Where the column ``name`` sits in ``model``'s INSERT parameters."""
    return [column[0] for column in insert_plan(model)[0]].index(name)


def iso_from_utc_text(text: str) -> str:
    """The outbox form of an instant ('…T…[.ffffff]Z', as isoformat gives it) from its column text."""
    if text.endswith(".000000"):
        return f"{text[:10]}T{text[11:19]}Z"
    return f"{text[:10]}T{text[11:]}Z"


def insert_and_snapshot(model, data: dict) -> tuple[str, list, dict]:
    """The INSERT of a ``model`` row's ``data`` and its outbox snapshot, from one pass over the columns.

    The snapshot leaves out ``model.kept_on_box``; money shows as the column reads it back.
    """
    columns, sql = insert_plan(model)
    params, snap = [], {}
    for name, kind, convert, read_back, form in columns:
        value = data.get(name)
        param = value if value is None or type(value) is kind else convert(value)
        params.append(param)
        if form is not SKIP:
            snap[name] = _shown(form, value, param, read_back)
    return sql, params, snap


def snapshot(model, data: dict) -> dict:
    """The outbox snapshot of a ``model`` row's ``data`` alone (an update's: its UPDATE converts on its own)."""
    snap = {}
    for name, kind, convert, read_back, form in insert_plan(model)[0]:
        if form is SKIP:
            continue
        value = data.get(name)
        # Only money and instants are shown from their column form; the rest needs no conversion.
        param = convert(value) if form in (MONEY, INSTANT) and value is not None else value
        snap[name] = _shown(form, value, param, read_back)
    return snap


def _shown(form, value, param, read_back):
    if param is None:
        return None
    if form is MONEY:
        return str(read_back(param))  # as the column reads it back: "150000.00"
    if form is INSTANT:
        return iso_from_utc_text(param)
    shown = JSON_FORMS.get(type(value))
    return value if shown is None else shown(value)


@lru_cache(maxsize=None)
def outbox_template(change_log, model) -> tuple[str, list, int, int, int]:
    """The outbox INSERT for a new ``model`` row: SQL, parameters with the constant ones filled in,
    and the positions of entity_id, payload and recorded_at."""
    fields, _, sql = statements.insert_columns(change_log)
    names = [f.name for f in fields]
    constant = {"entity": model._meta.table_name, "op": "upsert",
                "changed": change_log.changed.db_value(list(model._meta.sorted_field_names)),
                "schema": change_log.schema.default}
    return (sql, [constant.get(n) for n in names], names.index("entity_id"), names.index("payload"),
            names.index("recorded_at"))
