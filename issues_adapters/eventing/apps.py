from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventingConfig(AppConfig):
    name = "issues_adapters.eventing"
    label = "eventing"
    verbose_name = _("Events and mail")
