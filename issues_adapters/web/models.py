"""The queue's counts read model: how many issues each side-bar view holds, kept from events.

`QueueIssueState` keeps, per issue, the few facts the counts depend on, each with the version
of the event that set it; `QueueCount` holds one counter per bucket ("open", "unassigned",
"status:resolved", "assignee:alice", "category:printing", "priority:high", "tag:printer",
...).

Both tables are disposable: `manage.py rebuild web.queue_counts` rebuilds them from the event log.
Because every fact is taken only from an event newer than the one that set it, applying the
events in any order, each any number of times, ends in the same tables.
"""

from django.db import models


class QueueIssueState(models.Model):
    issue_id = models.UUIDField(primary_key=True)
    status = models.CharField(max_length=20, null=True)
    status_version = models.PositiveIntegerField(default=0)
    assignee = models.CharField(max_length=150, null=True)
    assignee_version = models.PositiveIntegerField(default=0)
    category = models.CharField(max_length=50, null=True)
    priority = models.CharField(max_length=10, null=True)
    triage_version = models.PositiveIntegerField(default=0)
    # The issue's tags, separated by spaces (a tag has none), or null for none.
    tags = models.TextField(null=True)
    tags_version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "queue issue state"

    def __str__(self):
        return f"{self.issue_id} {self.status}"


class QueueCount(models.Model):
    key = models.CharField(max_length=200, primary_key=True)
    count = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "queue count"

    def __str__(self):
        return f"{self.key}: {self.count}"


class ReferenceDataStamp(models.Model):
    """One row whose stamp changes, in the same transaction, with every change to what
    web/reference_data.py keeps in each process (categories, staff, canned replies). A new
    random stamp rather than a counter: a rolled-back change must not reuse a stamp."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    stamp = models.UUIDField()

    class Meta:
        verbose_name = "reference data stamp"

    def __str__(self):
        return str(self.stamp)
