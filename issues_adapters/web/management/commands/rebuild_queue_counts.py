from django.core.management.base import BaseCommand

from issues_adapters.web import counts


class Command(BaseCommand):
    help = "Rebuild the queue's side-bar counts from the recorded events."

    def handle(self, *args, **options):
        taken = counts.rebuild()
        self.stdout.write(f"Queue counts rebuilt from {taken} recorded events.")
