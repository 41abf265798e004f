"""INSERTs and UPDATEs for the write paths every report takes, without the ORM's per-call work.

`Model.objects.create()` and `.filter().update()` build and compile a query each time, which
costs several times the round trip to the database for the rows a report writes. The
statement here is built once per (table, columns), and so is each column's way of preparing
its value: the common cases (text and numbers given as str and int, aware datetimes, UUIDs)
go the short way to what `get_db_prep_save` would give, everything else through
`get_db_prep_save` itself, so the rows are stored exactly as the ORM would store them. No
signals are sent and no field defaults are applied: give every column that has no database
default.
"""

import uuid
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache

from django.db import connection
from django.db.models import Field, Model

_PLAIN = frozenset(
    {
        "CharField",
        "TextField",
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
        "PositiveSmallIntegerField",
        "BooleanField",
    }
)
_AS_THEY_ARE = (str, int, bool)

Prepare = Callable[[object], object]


def preparer(field: Field) -> Prepare:
    """How this column's values reach the driver (for this process's database connection)."""
    kind = field.get_internal_type()

    def by_the_field(value):
        return None if value is None else field.get_db_prep_save(value, connection)

    if kind in _PLAIN:
        return lambda value: value if type(value) in _AS_THEY_ARE else by_the_field(value)
    if kind == "DateTimeField":
        adapt = connection.ops.adapt_datetimefield_value
        return lambda value: (
            adapt(value)
            if type(value) is datetime and value.tzinfo is not None
            else by_the_field(value)
        )
    if kind == "UUIDField":
        native = connection.features.has_native_uuid_field
        return lambda value: (
            (value if native else value.hex) if type(value) is uuid.UUID else by_the_field(value)
        )
    return by_the_field


@lru_cache(maxsize=64)
def _columns(
    model: type[Model], names: tuple[str, ...], vendor: str
) -> tuple[list[str], list[Prepare]]:
    fields = [model._meta.get_field(name) for name in names]
    return [connection.ops.quote_name(field.column) for field in fields], [
        preparer(field) for field in fields
    ]


@lru_cache(maxsize=64)
def _statement(
    model: type[Model], names: tuple[str, ...], returning: str | None, vendor: str
) -> tuple[str, list[Prepare]]:
    quote = connection.ops.quote_name
    columns, preparers = _columns(model, names, vendor)
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    if returning:
        sql += f" RETURNING {quote(model._meta.get_field(returning).column)}"
    return sql, preparers


def insert(model: type[Model], values: dict, *, returning: str | None = None):
    """Insert one row of `model` (field names to values); the `returning` column's value."""
    sql, preparers = _statement(model, tuple(values), returning, connection.vendor)
    params = [prepare(value) for prepare, value in zip(preparers, values.values(), strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0] if returning else None


def insert_each(model: type[Model], rows: list[dict]) -> None:
    """`insert` for each row (all with the same keys) in one `executemany` (which psycopg
    sends as one pipeline)."""
    if not rows:
        return
    sql, preparers = _statement(model, tuple(rows[0]), None, connection.vendor)
    params = [
        [prepare(value) for prepare, value in zip(preparers, row.values(), strict=True)]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def update(model: type[Model], values: dict, *, where: dict) -> int:
    """Set `values` (field names to values) on the rows whose `where` fields equal the values
    given (none of them None: `= NULL` matches nothing); how many rows that was."""
    sql, preparers = _update_statement(model, tuple(values), tuple(where), connection.vendor)
    given = [*values.values(), *where.values()]
    params = [prepare(value) for prepare, value in zip(preparers, given, strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def update_each(model: type[Model], rows: list[tuple[dict, dict]]) -> int:
    """`update` for each (values, where) pair, all with the same keys, in one `executemany`
    (which psycopg sends as one pipeline); how many rows that was in all."""
    if not rows:
        return 0
    values, where = rows[0]
    sql, preparers = _update_statement(model, tuple(values), tuple(where), connection.vendor)
    params = [
        [
            prepare(value)
            for prepare, value in zip(preparers, [*v.values(), *w.values()], strict=True)
        ]
        for v, w in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
        return cursor.rowcount


@lru_cache(maxsize=64)
def _update_statement(
    model: type[Model], names: tuple[str, ...], where: tuple[str, ...], vendor: str
) -> tuple[str, list[Prepare]]:
    columns, preparers = _columns(model, names + where, vendor)
    assignments = ", ".join(f"{column} = %s" for column in columns[: len(names)])
    conditions = " AND ".join(f"{column} = %s" for column in columns[len(names) :])
    table = connection.ops.quote_name(model._meta.db_table)
    return f"UPDATE {table} SET {assignments} WHERE {conditions}", preparers


_ROWS_A_STATEMENT = 500


def insert_new(model: type[Model], rows: list[dict]) -> None:
    """Insert these rows (all with the same keys) in one statement, skipping any that would
    break a unique constraint: rows already there are left as they are."""
    if len(rows) > _ROWS_A_STATEMENT:  # keep under the databases' limits on parameters
        for start in range(0, len(rows), _ROWS_A_STATEMENT):
            insert_new(model, rows[start : start + _ROWS_A_STATEMENT])
        return
    if not rows:
        return
    names = tuple(rows[0])
    columns, preparers = _columns(model, names, connection.vendor)
    row = f"({', '.join(['%s'] * len(columns))})"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} "
            f"({', '.join(columns)}) VALUES {', '.join([row] * len(rows))} "
            "ON CONFLICT DO NOTHING",
            [
                prepare(values[name])
                for values in rows
                for name, prepare in zip(names, preparers, strict=True)
            ],
        )
