from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersistenceConfig(AppConfig):
    name = "issues_adapters.persistence"
    label = "issues"
    verbose_name = _("Issues")
