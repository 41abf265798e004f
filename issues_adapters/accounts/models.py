"""What a staff member chose for themselves."""

from django.conf import settings
from django.db import models


class LanguagePreference(models.Model):
    """The language a staff member reads the staff pages and their mail in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="language_preference"
    )
    language = models.CharField(max_length=35)  # one of settings.LANGUAGES when chosen

    def __str__(self):
        return f"{self.user} reads {self.language}"
