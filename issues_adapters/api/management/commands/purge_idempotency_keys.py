from django.core.management.base import BaseCommand

from issues_adapters.api.idempotency import purge_expired


class Command(BaseCommand):
    help = "Delete Idempotency-Key records older than 24 hours (run it daily, e.g. from cron)."

    def handle(self, *args, **options):
        deleted = purge_expired()
        self.stdout.write(f"Deleted {deleted} expired idempotency key(s).")
