from django.apps import AppConfig


class EventingConfig(AppConfig):
    name = "issues_adapters.eventing"
    label = "eventing"
