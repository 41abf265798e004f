"""Read statements that a page runs on every request, each compiled once a connection.

Django builds and compiles a query anew each time it runs: cloning the QuerySet, resolving
its lookups and joins, writing its SQL. For the issue page's small statements that is about
nine tenths of each one's cost (150-170 us of 180 us on this machine, where the SQL itself
runs in 12 us), and the page runs five of them. A `Statement` is the same QuerySet, built by
a function of the values it varies by, compiled the first time a thread's connection runs it; later
calls run that SQL with their own values and convert the rows with the compiler's own
converters, so they come back exactly as the QuerySet's would (bench/pages_profile.py prints
the issue page with this switched off: `KEPT = False`).

Only the values passed to the function may vary: each is found in the compiled parameters
by its database form (the field given for it prepares it), and must be there exactly once.

A `Count` keeps a QuerySet's `count()` the same way, for a count whose filters never vary
(Django builds a count as an aggregate over the query, which it only ever runs: the SQL is
taken as Django runs it the first time).
"""

import threading
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Field, QuerySet

KEPT = True  # False: every call builds and compiles its QuerySet as Django does (benchmarks)


class Statement:
    def __init__(self, build: Callable[..., QuerySet], *fields: Field, flat: bool = False):
        """`build(*values)` makes the QuerySet (a `values()` one, or `values_list(flat=True)`
        with `flat`); `fields` prepare each value as a parameter."""
        self._build = build
        self._fields = fields
        self._flat = flat
        # Each thread's, for its own connection: gone with the thread, never shared.
        self._local = threading.local()

    def rows(self, *values) -> list:
        if not KEPT:
            return list(self._build(*values))
        connection = connections[DEFAULT_DB_ALIAS]
        compiled = getattr(self._local, "compiled", None)
        if compiled is None or compiled[0] is not connection:
            compiled = self._local.compiled = self._compile(connection, values)
        _, sql, params, slots, names, converters, compiler = compiled
        params = list(params)
        for position, field, value in zip(slots, self._fields, values, strict=True):
            params[position] = field.get_db_prep_value(value, connection, prepared=False)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = compiler.apply_converters(rows, converters)
        if self._flat:
            return [row[0] for row in rows]
        return [dict(zip(names, row, strict=True)) for row in rows]

    def _compile(self, connection, values) -> tuple:
        query = self._build(*values).query
        compiler = query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        slots = []
        for field, value in zip(self._fields, values, strict=True):
            prepared = field.get_db_prep_value(value, connection, prepared=False)
            found = [n for n, param in enumerate(params) if param == prepared]
            if len(found) != 1:
                raise ValueError(f"{value!r} is {len(found)} times in {sql!r} {params!r}")
            slots.append(found[0])
        # As Django's ValuesIterable names the columns (`selected`: each name once).
        names = list(query.selected or ())
        names = names or [*query.extra_select, *query.values_select, *query.annotation_select]
        columns = [column[0] for column in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(columns)
        return connection, sql, tuple(params), slots, names, converters, compiler


class Count:
    def __init__(self, build: Callable[[], QuerySet]):
        """`build()` makes the QuerySet counted; it takes no values."""
        self._build = build
        self._local = threading.local()

    def value(self) -> int:
        if not KEPT:
            return self._build().count()
        connection = connections[DEFAULT_DB_ALIAS]
        kept = getattr(self._local, "kept", None)
        if kept is None or kept[0] is not connection:
            ran = []

            def record(execute, sql, params, many, context):
                ran.append((sql, params))
                return execute(sql, params, many, context)

            with connection.execute_wrapper(record):
                count = self._build().count()
            [(sql, params)] = ran
            self._local.kept = (connection, sql, params)
            return count
        _, sql, params = kept
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]
