"""The canned replies staff keep; what a reply may say is issues_domain.canned_replies' rule."""

from django.db import models

from issues_domain.canned_replies import BODY_MAX_LENGTH, TITLE_MAX_LENGTH


class CannedReplyRecord(models.Model):
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    body = models.TextField(max_length=BODY_MAX_LENGTH)
    updated_by = models.CharField(max_length=150)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "canned_reply"
        verbose_name = "canned reply"
        verbose_name_plural = "canned replies"
        ordering = ["title", "id"]

    def __str__(self):
        return self.title
