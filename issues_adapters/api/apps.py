from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "issues_adapters.api"
    label = "api"
