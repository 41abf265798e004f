"""Plain statements over a read model's table under any name (live, or a rebuild's new one)."""

from django.db import connection
from django.db.models import Model

from issues_adapters.persistence.plain_statements import preparer

_ROWS_A_STATEMENT = 500


def rows_of(model: type[Model], table: str, ids, names: tuple[str, ...]) -> dict:
    """The rows with these primary keys (locked on PostgreSQL), as {pk: (values...)}."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return {}
    quote = connection.ops.quote_name
    key = model._meta.pk
    prepared = [key.get_db_prep_value(value, connection) for value in ids]
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    found = {}
    with connection.cursor() as cursor:
        for start in range(0, len(prepared), _ROWS_A_STATEMENT):
            chunk = prepared[start : start + _ROWS_A_STATEMENT]
            columns = ", ".join(quote(model._meta.get_field(name).column) for name in names)
            cursor.execute(
                f"SELECT {quote(key.column)}, {columns} FROM {quote(table)} "
                f"WHERE {quote(key.column)} IN ({', '.join(['%s'] * len(chunk))}){lock}",
                chunk,
            )
            for stored_id, *values in cursor.fetchall():
                found[key.to_python(stored_id)] = tuple(values)
    return found


def upsert(model: type[Model], table: str, rows: list[dict]) -> None:
    """Insert these rows (same keys, the primary key first) or update them, in key order."""
    if not rows:
        return
    quote = connection.ops.quote_name
    names = tuple(rows[0])
    fields = [model._meta.get_field(name) for name in names]
    columns = [quote(field.column) for field in fields]
    preparers = [preparer(field) for field in fields]
    updates = ", ".join(f"{column} = excluded.{column}" for column in columns[1:])
    row = f"({', '.join(['%s'] * len(columns))})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _ROWS_A_STATEMENT):
            chunk = rows[start : start + _ROWS_A_STATEMENT]
            cursor.execute(
                f"INSERT INTO {quote(table)} ({', '.join(columns)}) "
                f"VALUES {', '.join([row] * len(chunk))} "
                f"ON CONFLICT ({columns[0]}) DO UPDATE SET {updates}",
                [
                    prepare(values[name])
                    for values in chunk
                    for name, prepare in zip(names, preparers, strict=True)
                ],
            )
