from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "issues_adapters.web"
    label = "web"
