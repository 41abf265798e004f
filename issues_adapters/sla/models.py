"""SLA tables: the policies and calendars admins keep, and the two process managers' state.

`SlaClock` and `AutoClose` are read models kept from events (`manage.py rebuild sla.clocks`,
`manage.py rebuild sla.auto_close`); each has an indexed column saying when it next has to act,
so the timers never scan the open issues. `SlaTimerHold` is the timers' own bookkeeping: a
deadline just acted on (held until its event reaches the clocks), or one whose command failed
(retried with back-off, parked after HELPDESK_SLA_TIMER_ATTEMPTS).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from issues_domain.values import Priority


class BusinessCalendarRecord(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    # Monday = 0 ... Sunday = 6.
    working_days = models.JSONField(_("working days"), default=list)
    opens_at = models.TimeField(_("opens at"), default="09:00")
    closes_at = models.TimeField(_("closes at"), default="17:00")
    round_the_clock = models.BooleanField(_("round the clock"), default=False)
    # [[first day, last day, name], ...] as ISO dates.
    holidays = models.JSONField(_("holidays"), default=list, blank=True)
    # A country's public holidays as well (ISO 3166 code, e.g. "DE"; the `holidays` library).
    holiday_country = models.CharField(_("national holidays of"), max_length=8, blank=True)

    class Meta:
        db_table = "sla_calendar"
        verbose_name = _("business-hours calendar")
        verbose_name_plural = _("business-hours calendars")
        ordering = ["name"]

    def __str__(self):
        return self.name


class SlaPolicyRecord(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    priority = models.CharField(
        _("priority"),
        max_length=10,
        null=True,
        blank=True,
        choices=[(p.value, p.name.title()) for p in Priority],
    )
    category = models.CharField(_("category"), max_length=50, null=True, blank=True)
    first_response_minutes = models.PositiveIntegerField(_("first response (minutes)"))
    resolution_minutes = models.PositiveIntegerField(_("resolution (minutes)"))
    calendar = models.ForeignKey(
        BusinessCalendarRecord, on_delete=models.PROTECT, related_name="policies"
    )

    class Meta:
        db_table = "sla_policy"
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["name"]

    def __str__(self):
        return self.name


class SlaClock(models.Model):
    """An issue's clocks: the clock operations its events made (JSON, in the issue's order),
    and what they come to, for the queue and the timers."""

    issue_id = models.UUIDField(primary_key=True)
    operations = models.TextField(default="[]")
    policy = models.CharField(max_length=100, null=True)
    first_response_due = models.DateTimeField(null=True)
    resolution_due = models.DateTimeField(null=True)
    due_at = models.DateTimeField(null=True)  # the soonest due of a running clock
    warn_at = models.DateTimeField(null=True)
    paused = models.BooleanField(default=False)
    next_timer_at = models.DateTimeField(null=True)
    next_timer_kind = models.CharField(max_length=10, null=True)
    next_timer_goal = models.CharField(max_length=20, null=True)
    next_timer_deadline = models.CharField(max_length=60, null=True)
    # The queue's SLA view the issue is in ("breaching_soon", "overdue"; display.py), by what
    # the timers recorded (IssueClocks.flagged_state), so that its count can be kept.
    view = models.CharField(max_length=20, null=True)
    reported_at = models.DateTimeField(null=True)  # the issue's, to page a view newest first

    class Meta:
        db_table = "sla_clock"
        indexes = [
            models.Index(fields=["next_timer_at"], name="sla_clock_next_timer"),
            models.Index(fields=["due_at"], name="sla_clock_due"),
            # A view's issues a page at a time, by next deadline or by report (as the queue
            # pages), from these indexes alone: only the clocks in a view are in them.
            models.Index(
                fields=["view", "due_at", "issue_id"],
                name="sla_clock_view_due",
                condition=models.Q(view__isnull=False),
            ),
            models.Index(
                fields=["view", "reported_at", "issue_id"],
                name="sla_clock_view_reported",
                condition=models.Q(view__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.issue_id} due {self.due_at}"


class SlaViewCount(models.Model):
    """How many issues each SLA view holds: kept with the clocks (clocks.py), so the side bar
    reads two numbers instead of counting the view's issues."""

    view = models.CharField(max_length=20, primary_key=True)
    count = models.IntegerField(default=0)

    class Meta:
        db_table = "sla_view_count"

    def __str__(self):
        return f"{self.view}: {self.count}"


class AutoClose(models.Model):
    """A resolved issue's resolution time; None once it is reopened or closed."""

    issue_id = models.UUIDField(primary_key=True)
    status_version = models.PositiveIntegerField(default=0)
    resolved_at = models.DateTimeField(null=True)

    class Meta:
        db_table = "sla_auto_close"
        indexes = [models.Index(fields=["resolved_at"], name="sla_auto_close_resolved")]

    def __str__(self):
        return f"{self.issue_id} resolved {self.resolved_at}"


class SlaTimerHold(models.Model):
    issue_id = models.UUIDField()
    deadline = models.CharField(max_length=60)
    not_before = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    parked = models.BooleanField(default=False)
    last_error = models.TextField(blank=True, default="")

    class Meta:
        db_table = "sla_timer_hold"
        verbose_name = _("SLA timer hold")
        verbose_name_plural = _("SLA timer holds")
        constraints = [
            models.UniqueConstraint(fields=["issue_id", "deadline"], name="sla_hold_deadline")
        ]

    def __str__(self):
        return f"{self.issue_id} {self.deadline}"
