from django.apps import AppConfig


class AttachmentsConfig(AppConfig):
    name = "issues_adapters.attachments"
    label = "attachments"
