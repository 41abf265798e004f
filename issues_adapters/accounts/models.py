"""Each staff member's choices about the mail they get (/staff/settings/).

A staff member without a row gets the defaults: the assignee's mails on, none on new issues.
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
    # Room for the staff member's language (a later change fills and uses it).
    language = models.CharField(max_length=10, blank=True, default="")

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self):
        return f"{self.user}"
