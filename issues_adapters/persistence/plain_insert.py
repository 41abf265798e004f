"""INSERTs for the write path every report takes, without the ORM's per-call work.

`Model.objects.create()` builds and compiles a query each time, which costs several times
the round trip to the database for the rows a report writes. The statement here is built
once per (table, columns); the values still go through each field's `get_db_prep_save`, so
they are stored exactly as the ORM would store them. No signals are sent and no field
defaults are applied: give every column that has no database default.
"""

from functools import lru_cache

from django.db import connection
from django.db.models import Field, Model

# Columns whose values go to the driver as they are when they are a str, int or bool (what
# get_db_prep_save would give back anyway); every other value is prepared by its field.
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


def _prepare(field: Field, value):
    if value is None or (field.get_internal_type() in _PLAIN and type(value) in _AS_THEY_ARE):
        return value
    return field.get_db_prep_save(value, connection)


@lru_cache(maxsize=64)
def _statement(
    model: type[Model], names: tuple[str, ...], returning: str | None, vendor: str
) -> tuple[str, tuple[Field, ...]]:
    quote = connection.ops.quote_name
    fields = tuple(model._meta.get_field(name) for name in names)
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(field.column) for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    if returning:
        sql += f" RETURNING {quote(model._meta.get_field(returning).column)}"
    return sql, fields


def insert(model: type[Model], values: dict, *, returning: str | None = None):
    """Insert one row of `model` (field names to values); the `returning` column's value."""
    sql, fields = _statement(model, tuple(values), returning, connection.vendor)
    params = [_prepare(field, value) for field, value in zip(fields, values.values(), strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0] if returning else None


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
    quote = connection.ops.quote_name
    names = tuple(rows[0])
    fields = [model._meta.get_field(name) for name in names]
    row = f"({', '.join(['%s'] * len(fields))})"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(model._meta.db_table)} "
            f"({', '.join(quote(field.column) for field in fields)}) "
            f"VALUES {', '.join([row] * len(rows))} ON CONFLICT DO NOTHING",
            [
                _prepare(field, values[name])
                for values in rows
                for name, field in zip(names, fields, strict=True)
            ],
        )
