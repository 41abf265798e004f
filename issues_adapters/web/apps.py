from django.apps import AppConfig

from issues_adapters.web import catalogues


class WebConfig(AppConfig):
    name = "issues_adapters.web"
    label = "web"

    def ready(self):
        catalogues.prune_every_language()
        from issues_adapters.web import reference_data  # its models need the registry ready

        reference_data.connect()
