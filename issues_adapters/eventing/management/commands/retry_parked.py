"""Give every parked delivery (or the given ids) a fresh set of attempts, delivering now."""

from django.core.management.base import BaseCommand

from issues_adapters.eventing import relay
from issues_adapters.eventing.models import Delivery
from issues_adapters.wiring import message_bus


class Command(BaseCommand):
    help = "Retry parked event deliveries now, in this process."

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="delivery ids (default: all parked)")

    def handle(self, *args, ids, **options):
        parked = Delivery.objects.filter(status=Delivery.Status.PARKED).count()
        report = relay.retry_parked(message_bus(), ids or None)
        self.stdout.write(f"{parked} parked; retried: {report}")
