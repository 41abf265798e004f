from django.contrib import admin, messages

from issues_adapters.eventing import dispatch, relay
from issues_adapters.eventing.models import Delivery, InboundMessage, SentMail
from issues_adapters.wiring import message_bus


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["handler", "position", "event_type", "status", "attempts", "last_tried_at"]
    list_filter = ["status", "handler"]
    search_fields = ["=event_id", "=position"]
    show_full_result_count = False
    actions = ["retry"]

    @admin.action(description="Retry the selected parked deliveries")
    def retry(self, request, queryset):
        ids = list(queryset.filter(status=Delivery.Status.PARKED).values_list("id", flat=True))
        report = relay.retry_parked(message_bus(), ids, in_process=not dispatch.scale_out())
        self.message_user(request, f"Retried {len(ids)}: {report}", messages.INFO)


@admin.register(SentMail)
class SentMailAdmin(ReadOnlyAdmin):
    list_display = ["subject", "recipient", "handler", "sent_at"]
    list_filter = ["handler"]
    search_fields = ["=issue_id", "=event_id", "message_id", "recipient"]
    show_full_result_count = False


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnlyAdmin):
    list_display = ["message_id", "sender", "subject", "status", "received_at"]
    list_filter = ["status"]
    search_fields = ["message_id", "sender", "subject"]
    show_full_result_count = False
