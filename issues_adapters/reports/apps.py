from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "issues_adapters.reports"
    label = "reports"
