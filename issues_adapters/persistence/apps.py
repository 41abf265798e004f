from django.apps import AppConfig


class PersistenceConfig(AppConfig):
    name = "issues_adapters.persistence"
    label = "issues"
