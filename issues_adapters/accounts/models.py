"""What a staff member chose for themselves: their mail (/staff/settings/) and language.

A staff member without a notification row gets the defaults: the assignee's mails on, none on
new issues.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationSettings(models.Model):
    class NewIssues(models.TextChoices):
        NONE = "none", _("No mail on new issues")
        ALL = "all", _("A mail on every new issue")
        CATEGORIES = "categories", _("A mail on new issues of the categories I choose")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    new_issues = models.CharField(max_length=20, choices=NewIssues, default=NewIssues.NONE)
    new_issue_categories = models.JSONField(default=list, blank=True)  # category slugs
    on_assignment = models.BooleanField(default=True)
    on_reporter_reply = models.BooleanField(default=True)
    on_reopen = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self):
        return f"{self.user}"


class LanguagePreference(models.Model):
    """The language a staff member reads the staff pages and their mail in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="language_preference"
    )
    language = models.CharField(max_length=35)  # one of settings.LANGUAGES when chosen

    def __str__(self):
        return f"{self.user} reads {self.language}"
