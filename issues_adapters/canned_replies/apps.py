from django.apps import AppConfig


class CannedRepliesConfig(AppConfig):
    name = "issues_adapters.canned_replies"
    label = "canned_replies"
    default_auto_field = "django.db.models.BigAutoField"
