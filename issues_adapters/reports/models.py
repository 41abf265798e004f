"""The reports' read model: counts per day, grouping, group and bucket, kept from events.

`ReportIssueFacts` keeps, per issue, the few facts of each of its events that reports need
(JSON, by version); `ReportCount` holds the counts every report sums. Both are disposable:
`manage.py rebuild reports.counts` rebuilds them from the event log.
"""

from django.db import models


class ReportIssueFacts(models.Model):
    issue_id = models.UUIDField(primary_key=True)
    facts = models.TextField(default="{}")

    class Meta:
        verbose_name = "report issue facts"
        verbose_name_plural = "report issue facts"

    def __str__(self):
        return str(self.issue_id)


class ReportCount(models.Model):
    id = models.BigAutoField(primary_key=True)
    metric = models.CharField(max_length=20)
    grouping = models.CharField(max_length=10)
    day = models.DateField()
    group = models.CharField(max_length=150)
    bucket = models.SmallIntegerField(default=0)
    count = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "report count"
        constraints = [
            # A report reads one metric and grouping over a range of days: this key serves it.
            models.UniqueConstraint(
                fields=["metric", "grouping", "day", "group", "bucket"], name="report_count_key"
            )
        ]

    def __str__(self):
        return (
            f"{self.metric} {self.grouping}={self.group} {self.day} [{self.bucket}]: {self.count}"
        )


class ReportDayPercentiles(models.Model):
    """Each day's median and 90th-percentile bucket of a duration metric (grouping "day"),
    worked out from that day's histogram rows whenever a batch changes them: the chart of a
    year reads 365 of these, not 20,000 bucket rows. Not additive, so never summed."""

    id = models.BigAutoField(primary_key=True)
    metric = models.CharField(max_length=20)
    day = models.DateField()
    count = models.BigIntegerField(default=0)
    median_bucket = models.SmallIntegerField()
    p90_bucket = models.SmallIntegerField()

    class Meta:
        verbose_name = "report day percentiles"
        verbose_name_plural = "report day percentiles"
        constraints = [
            models.UniqueConstraint(fields=["metric", "day"], name="report_day_percentiles_key")
        ]

    def __str__(self):
        return f"{self.metric} {self.day}: {self.count}"
