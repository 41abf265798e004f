"""`manage.py analyze`: gather the statistics the database's planner picks indexes by.

SQLite keeps none until asked: without them it guesses that any status finds about ten issues,
and for the queue's open views reads them by status and sorts every open one, a cost that
grows with the helpdesk (tests/web/test_queue_query_plans.py, bench/queue_page.py --sqlite).
Run it after loading data and now and then as the helpdesk grows (a day's growth changes
little). It reads every index whole (SQLite's sampled `analysis_limit` left it sorting the
whole table for "Everything"). PostgreSQL's autovacuum gathers its own; here they are
gathered at once.
"""

from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = "Gather the statistics the database's query planner chooses indexes by."

    def handle(self, *args, **options):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write("Statistics gathered.")
