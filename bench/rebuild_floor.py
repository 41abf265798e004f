"""Where a rebuild's floor is: the time to merely read the event log, step by step, up to what
the reports' rebuild does with each event - so a rebuild's events a second can be set against
what this machine can read at all.

    .venv/bin/python bench/rebuild_floor.py --database postgres://postgres@127.0.0.1:5432/NAME
    .venv/bin/python bench/rebuild_floor.py --database sqlite:///var/bench/rebuild.sqlite3

The database is one bench/rebuild_reports.py --database seeded (kept). Each step reads the
whole log in commit order, BATCH rows a query, and adds one thing to the step before:

1. bare cursor: the rows, every column a rebuild reads, as the driver gives them;
2. the rebuild's read (event_log.rows_after): the rows as EventRows, data decoded;
   (2b. the same through the ORM, as the live delivery reads: outbox.events_after);
3. and each row made its domain event (event_log.to_event);
4. and each event's report fact (reports.facts.fact_of).

Wall and CPU (this process) per event; on PostgreSQL the server backend's CPU too.
"""

import argparse
import os
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(PROJECT), str(PROJECT / "bench")]

from rebuild_reports import backend_cpu  # noqa: E402


def measure(name: str, step, events: int) -> None:
    began, cpu, server = time.perf_counter(), time.process_time(), backend_cpu()
    read = step()
    wall = time.perf_counter() - began
    cpu = time.process_time() - cpu
    server = backend_cpu() - server
    assert read == events, (read, events)
    print(
        f"  {name:<44} {events / wall:9,.0f} events/s  {wall:6.2f} s  "
        f"CPU {cpu / events * 1e6:5.1f} us/event"
        + (f" + server {server / events * 1e6:4.1f} us" if server else "")
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True)
    args = parser.parse_args()
    os.environ.update(
        {
            "DATABASE_URL": args.database,
            "DJANGO_SETTINGS_MODULE": "issues_adapters.settings",
            "LOG_LEVEL": "ERROR",
            "CELERY_BROKER_URL": "",
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1",
        }
    )
    import django

    django.setup()
    from django.db import connection
    from psycopg.types.datetime import TimestamptzLoader

    from issues_adapters.eventing import outbox
    from issues_adapters.eventing.rebuilds import BATCH
    from issues_adapters.persistence.event_log import EventRow, rows_after, to_event
    from issues_adapters.persistence.models import RecordedEvent
    from issues_adapters.reports.facts import fact_of

    events = RecordedEvent.objects.count()
    columns = ", ".join(connection.ops.quote_name(name) for name in EventRow._fields)
    table = connection.ops.quote_name(RecordedEvent._meta.db_table)

    def bare() -> int:
        read, mark = 0, (0, 0)
        # As rows_after reads: SQLite walks the index for a row comparison by its first
        # column only (every transaction id is 0 there).
        after = '("transaction_id", "position") > (%s, %s)'
        if connection.vendor == "sqlite":
            after = '"transaction_id" = %s AND "position" > %s'
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # the driver's compiled loader, as step 2
                cursor.cursor.adapters.register_loader("timestamptz", TimestamptzLoader)
            while True:
                cursor.execute(
                    f"SELECT {columns} FROM {table} "
                    f"WHERE {after} "
                    f'ORDER BY "transaction_id", "position" LIMIT {BATCH}',
                    mark,
                )
                rows = cursor.fetchall()
                if not rows:
                    return read
                read += len(rows)
                mark = (rows[-1][0], rows[-1][1])

    def batches(read=rows_after):
        mark = (0, 0)
        while True:
            rows = read(mark, limit=BATCH)
            if not rows:
                return
            yield rows
            mark = (rows[-1].transaction_id, rows[-1].position)

    def rows() -> int:
        return sum(len(batch) for batch in batches())

    def orm() -> int:
        read = lambda mark, limit: outbox.events_after(outbox.Mark(*mark), limit=limit)[0]  # noqa: E731
        return sum(len(batch) for batch in batches(read))

    def decoded() -> int:
        return sum(1 for batch in batches() for row in batch if to_event(row))

    def facts() -> int:
        return sum(1 for batch in batches() for row in batch if fact_of(to_event(row)))

    print(f"{connection.vendor}, {events:,} events, {BATCH:,} a query:")
    for name, step in (
        ("1. bare cursor", bare),
        ("2. + EventRows, data decoded", rows),
        ("2b. the same through the ORM", orm),
        ("3. + domain events", decoded),
        ("4. + report facts", facts),
    ):
        measure(name, step, events)
    print("command: .venv/bin/python bench/rebuild_floor.py --database " + args.database)
    return 0


if __name__ == "__main__":
    sys.exit(main())
