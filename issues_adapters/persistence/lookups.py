"""`status__in_statuses`: SQL `IN` with the statuses written into the statement, not bound.

SQLite uses a partial index (the open issues' indexes, `status IN ('reported', ...)`) only when
the query's condition is the index's own, literals and all; with Django's bound `__in` it read
and sorted every open issue of a view instead (bench/queue_page.py --sqlite). Only IssueStatus
values are written in, so nothing anybody typed ever reaches the SQL. PostgreSQL plans the
same either way (its driver sends the values written in too)."""

from django.db.models import CharField, Lookup

from issues_domain.values import IssueStatus


@CharField.register_lookup
class InStatuses(Lookup):
    lookup_name = "in_statuses"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        column, params = self.process_lhs(compiler, connection)
        statuses = ", ".join(f"'{IssueStatus(value).value}'" for value in self.rhs)
        return f"{column} IN ({statuses})", params


def all_statuses(values: list[str]) -> bool:
    return bool(values) and all(value in IssueStatus._value2member_map_ for value in values)
