from django.apps import AppConfig

from issues_adapters.web import catalogues


class WebConfig(AppConfig):
    name = "issues_adapters.web"
    label = "web"

    def ready(self):
        catalogues.prune_every_language()
        from issues_adapters.web import reference_data  # its models need the registry ready

        reference_data.connect()
        from django.contrib.auth.signals import user_logged_in

        from issues_adapters.web import kept_forms

        user_logged_in.connect(kept_forms.keep_only_for_who_signed_in, dispatch_uid="kept_forms")
