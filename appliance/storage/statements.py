"""Row statements compiled once per model: fetch by id or by equal fields, insert, update by id.

Peewee builds SQL from an expression tree on every call, which on the box's
CPU costs several times what SQLite takes to run the statement. The hot
paths (booking, sign-in, the change log, the audit log, sync apply) read and
write whole rows by key, so their SQL depends only on the model and is
built here once per model and database kind. Values go through each field's
``db_value``/``python_value`` exactly as peewee would convert them, except
where that conversion is the identity for the value at hand (text into a
text column, an int into an integer column).
"""
from dataclasses import dataclass
from functools import lru_cache

from peewee import AutoField, CharField, ForeignKeyField, IntegerField, TextField, __exception_wrapper__

from appliance.storage.database import database

IN_CHUNK = 500  # well below SQLite's limit on bound parameters
_PLAIN = {CharField: str, TextField: str, IntegerField: int, AutoField: int}


def _db():
    return database.obj


def _quote(name: str) -> str:
    opening, closing = _db().quote
    return f"{opening}{name}{closing}"


def plain_type(field):
    """The Python type a field stores unconverted, or None when it converts."""
    if type(field) is ForeignKeyField:
        return plain_type(field.rel_field)
    return _PLAIN.get(type(field))


@dataclass(frozen=True)
class _Table:
    fields: tuple
    names: str  # the quoted column list
    table: str
    param: str
    plain: tuple  # per field: the type stored as it is, or None

    def column(self, model, name: str) -> str:
        return _quote(model._meta.fields[name].column_name)

    def to_model(self, model, row):
        # What peewee's row wrapper builds (values by field name, foreign keys as
        # ids), without a setattr per field or a conversion that changes nothing.
        obj = model(__no_default__=1)
        obj.__data__ = {f.name: (v if v is None or kind is not None else f.python_value(v))
                        for f, kind, v in zip(self.fields, self.plain, row)}
        return obj

    def values(self, data: dict, fields=None, plain=None) -> list:
        out = []
        for f, kind in zip(fields or self.fields, plain or self.plain):
            v = data.get(f.name)
            out.append(v if v is None or type(v) is kind else f.db_value(v))
        return out


@lru_cache(maxsize=None)
def _table(model, dialect) -> _Table:
    fields = tuple(model._meta.sorted_fields)
    return _Table(fields, ", ".join(_quote(f.column_name) for f in fields), _quote(model._meta.table_name),
                  _db().param, tuple(plain_type(f) for f in fields))


def _compiled(model) -> _Table:
    return _table(model, type(_db()).__name__)


@lru_cache(maxsize=None)
def _select_sql(model, dialect, keys: tuple) -> str:
    t = _table(model, dialect)
    where = " AND ".join(f"{t.column(model, k)} = {t.param}" for k in keys)
    return f"SELECT {t.names} FROM {t.table} WHERE {where} LIMIT 2"


def find_one(model, **equals):
    """The one row whose fields equal ``equals``, or None; LookupError if several match."""
    keys = tuple(sorted(equals))
    params = [model._meta.fields[k].db_value(equals[k]) for k in keys]
    rows = _db().execute_sql(_select_sql(model, type(_db()).__name__, keys), params).fetchall()
    if len(rows) > 1:
        raise LookupError(f"several {model._meta.table_name} rows match {keys}")
    return _compiled(model).to_model(model, rows[0]) if rows else None


def get_by_id(model, row_id):
    """The ``model`` row with primary key ``row_id``, or None."""
    return find_one(model, **{model._meta.primary_key.name: row_id})


def rows_where_in(model, name: str, values, **equals) -> list:
    """Rows whose field ``name`` is one of ``values`` and whose other fields equal ``equals``."""
    values, t = list(values), _compiled(model)
    field = model._meta.fields[name]
    keys = sorted(equals)
    tail = "".join(f" AND {t.column(model, k)} = {t.param}" for k in keys)
    tail_params = [model._meta.fields[k].db_value(equals[k]) for k in keys]
    found = []
    for start in range(0, len(values), IN_CHUNK):
        chunk = values[start:start + IN_CHUNK]
        sql = f"SELECT {t.names} FROM {t.table} WHERE {t.column(model, name)} IN ({', '.join(t.param for _ in chunk)}){tail}"
        cursor = _db().execute_sql(sql, [field.db_value(v) for v in chunk] + tail_params)
        found += [t.to_model(model, row) for row in cursor.fetchall()]
    return found


def first_row(model, order_by: str):
    """The first row of ``model`` by the field named ``order_by``, or None if the table is empty."""
    t = _compiled(model)
    row = _db().execute_sql(f"SELECT {t.names} FROM {t.table} ORDER BY {t.column(model, order_by)} LIMIT 1").fetchone()
    return t.to_model(model, row) if row else None


@lru_cache(maxsize=None)
def _insert_sql(model, dialect, with_pk: bool) -> tuple:
    t = _table(model, dialect)
    chosen = [(f, k) for f, k in zip(t.fields, t.plain) if with_pk or not isinstance(f, AutoField)]
    names = ", ".join(_quote(f.column_name) for f, _ in chosen)
    marks = ", ".join(t.param for _ in chosen)
    return (tuple(f for f, _ in chosen), tuple(k for _, k in chosen),
            f"INSERT INTO {t.table} ({names}) VALUES ({marks})")


@lru_cache(maxsize=None)
def _update_sql(model, dialect) -> tuple:
    t = _table(model, dialect)
    pk = model._meta.primary_key
    chosen = [(f, k) for f, k in zip(t.fields, t.plain) if f is not pk]
    sets = ", ".join(f"{_quote(f.column_name)} = {t.param}" for f, _ in chosen)
    return (tuple(f for f, _ in chosen), tuple(k for _, k in chosen),
            f"UPDATE {t.table} SET {sets} WHERE {_quote(pk.column_name)} = {t.param}")


def insert_row(instance) -> None:
    """INSERT every column of ``instance``; an auto-increment key is read back onto it."""
    model, dialect = type(instance), type(_db()).__name__
    data = instance.__data__
    with_pk = data.get(model._meta.primary_key.name) is not None
    fields, plain, sql = _insert_sql(model, dialect, with_pk)
    cursor = _db().execute_sql(sql, _table(model, dialect).values(data, fields, plain))
    if not with_pk:
        instance._pk = cursor.lastrowid
    instance._dirty.clear()


def insert_columns(model) -> tuple:
    """(fields, the type each stores as it is or None, INSERT sql) for a row with its key set."""
    return _insert_sql(model, type(_db()).__name__, True)


def insert_statement(model, data: dict) -> tuple[str, list]:
    """The INSERT of one row of ``model`` from ``data`` (absent fields are NULL), values converted now."""
    dialect = type(_db()).__name__
    fields, plain, sql = _insert_sql(model, dialect, data.get(model._meta.primary_key.name) is not None)
    return sql, _table(model, dialect).values(data, fields, plain)


def insert_values(model, data: dict):
    """INSERT one row of ``model`` from ``data`` (field name -> value; absent fields are NULL); its rowid."""
    return _db().execute_sql(*insert_statement(model, data)).lastrowid


class PreparedWrites:
    """Statements built and converted before a write transaction, run inside it in order.

    The write turn is then held for the SQL alone: building rows, their outbox
    snapshots and JSON took most of a booking's time under the lock.
    """

    def __init__(self):
        self.statements = []

    def add(self, statement: tuple[str, list]) -> None:
        """Queue one (sql, params)."""
        self.statements.append(statement)

    def run(self) -> None:
        """Execute them all, in the caller's transaction."""
        # On one cursor of the connection: peewee's execute_sql adds a debug-log check, query hooks
        # and a new cursor per statement. Its exception wrapper still gives peewee's errors.
        with __exception_wrapper__:
            cursor = _db().connection().cursor()
            for sql, params in self.statements:
                cursor.execute(sql, params)


def update_row(instance) -> int:
    """UPDATE every column of ``instance`` by its primary key; the number of rows changed."""
    model, dialect = type(instance), type(_db()).__name__
    fields, plain, sql = _update_sql(model, dialect)
    params = _table(model, dialect).values(instance.__data__, fields, plain)
    params.append(model._meta.primary_key.db_value(instance._pk))
    cursor = _db().execute_sql(sql, params)
    instance._dirty.clear()
    return cursor.rowcount
