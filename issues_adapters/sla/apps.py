from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "issues_adapters.sla"
    label = "sla"
    verbose_name = "SLA"
