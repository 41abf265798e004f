"""Tables for issues, their comments, the categories, and the log of recorded events.

These rows are storage, not the domain: the repository maps them to and from issues_domain
objects, and nothing outside issues_adapters ever sees them.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from issues_domain.lifecycle import OPEN_STATUSES
from issues_domain.values import ActorRole, IssueStatus, Priority, Visibility

PRIORITY_RANK = {None: 0, Priority.LOW: 1, Priority.NORMAL: 2, Priority.HIGH: 3, Priority.URGENT: 4}
REFERENCE_PREFIX = "HD-"
FIRST_REFERENCE_NUMBER = 1000
# The category and priority filters' value, and the counts', for issues nobody has given one
# yet: never a category's slug (Category.clean).
NOT_SET = "none"


class Category(models.Model):
    """Reference data kept by admins; issues name their category by slug."""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    is_active = models.BooleanField(
        default=True, help_text="Inactive categories stay on old issues but cannot be chosen."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = gettext_lazy("category")
        verbose_name_plural = gettext_lazy("categories")

    def __str__(self):
        return self.name

    def clean(self):
        # The queue's and the API's category filter say "none" for "not set".
        if self.slug == NOT_SET:
            raise ValidationError({"slug": _('"none" is kept for issues without a category.')})


class IssueNumber(models.Model):
    """Hands out increasing numbers for references; a row per issue ever reported."""

    id = models.BigAutoField(primary_key=True)

    def __str__(self):
        return str(self.id)


class IssueRecord(models.Model):
    id = models.UUIDField(primary_key=True)
    number = models.BigIntegerField(unique=True)
    reference = models.CharField(max_length=20, unique=True)
    tracking_token = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        max_length=20, choices=[(s.value, s.name.title()) for s in IssueStatus]
    )
    reporter_name = models.CharField(max_length=200)
    reporter_email = models.EmailField(max_length=254)
    # The reporter's language tag: their tracking page and mail speak it.
    language = models.CharField(max_length=35, default="en")
    subject = models.CharField(max_length=200, default="")
    description = models.TextField()
    category = models.ForeignKey(
        Category,
        to_field="slug",
        db_column="category",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # issue_category_status starts with it; a second index only costs writes
    )
    priority = models.CharField(
        max_length=10, null=True, blank=True, choices=[(p.value, p.name.title()) for p in Priority]
    )
    priority_rank = models.PositiveSmallIntegerField(default=0)
    assignee = models.CharField(max_length=150, null=True, blank=True)
    resolution = models.TextField(null=True, blank=True)
    # Its tags in order, for showing; TagRecord holds them again, for filtering by tag.
    tags = models.JSONField(default=list, blank=True)
    # The issues it is linked to, {"<other id>": "<kind>"}; the other issue's row lists this one.
    links = models.JSONField(default=dict, blank=True)
    # The issue this one was merged into as a duplicate (it is then closed).
    merged_into = models.UUIDField(null=True, blank=True)
    version = models.PositiveIntegerField()
    # The version of the last change but a deadline flag (Issue.changed_version); NULL, as for
    # the issues before it was kept, reads as `version`. Nullable so that SQLite adds the column
    # instead of rebuilding the table, which would drop the words index's triggers (0016).
    changed_version = models.PositiveIntegerField(null=True, blank=True)
    reported_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    # The SLA deadlines warned of or breached: the domain flags each once.
    sla_flags = models.JSONField(default=list, db_default=[], blank=True)

    class Meta:
        db_table = "issues_issue"
        verbose_name = gettext_lazy("issue")
        verbose_name_plural = gettext_lazy("issues")
        indexes = [
            models.Index(fields=["-reported_at", "id"], name="issue_newest"),
            models.Index(fields=["-updated_at", "id"], name="issue_recently_updated"),
            models.Index(fields=["status", "-reported_at"], name="issue_status_newest"),
            models.Index(fields=["assignee", "status"], name="issue_assignee_status"),
            # A category's issues of one status newest first ("closed printing"), in order.
            models.Index(
                fields=["category", "status", "-reported_at", "id"], name="issue_category_status"
            ),
            models.Index(fields=["priority_rank", "status"], name="issue_priority_status"),
            # The staff queue's open views ("Mine", "Unassigned", "All open"), newest first:
            # only open issues, so a staff member's thousands of closed ones are never walked.
            models.Index(
                fields=["assignee", "-reported_at", "id"],
                condition=models.Q(status__in=[status.value for status in OPEN_STATUSES]),
                name="issue_open_assignee_newest",
            ),
            # "Most urgent first" of the open views, alone, by category and by assignee: read in
            # order, instead of sorting every open issue of the category (tests/web/
            # test_queue_query_plans.py, bench/queue_page.py).
            models.Index(
                fields=["priority_rank", "id"],
                condition=models.Q(status__in=[status.value for status in OPEN_STATUSES]),
                name="issue_open_urgent",
            ),
            models.Index(
                fields=["category", "priority_rank", "id"],
                condition=models.Q(status__in=[status.value for status in OPEN_STATUSES]),
                name="issue_open_category_urgent",
            ),
            models.Index(
                fields=["assignee", "priority_rank", "id"],
                condition=models.Q(status__in=[status.value for status in OPEN_STATUSES]),
                name="issue_open_assignee_urgent",
            ),
            # The open issues in each order the queue offers, and newest first by category, by
            # priority, by assignee and priority: a view's page is read in order past open
            # issues only, also when filtered by what no index orders (a tag, a search).
            # SQLite needs one per order: given only the ones above, it read a partial index
            # whole and sorted it (persistence.lookups, tests/web/test_queue_query_plans.py).
            models.Index(
                fields=["-reported_at", "id"],
                condition=models.Q(status__in=[status.value for status in OPEN_STATUSES]),
                name="issue_open_newest",
            ),
            models.Index(
                fields=["-updated_at", "id"],
                condition=models.Q(status__in=[status.value for status in OPEN_STATUSES]),
                name="issue_open_updated",
            ),
            models.Index(
                fields=["number", "id"],
                condition=models.Q(status__in=[status.value for status in OPEN_STATUSES]),
                name="issue_open_number",
            ),
            models.Index(
                fields=["category", "-reported_at", "id"],
                condition=models.Q(status__in=[status.value for status in OPEN_STATUSES]),
                name="issue_open_category_newest",
            ),
            models.Index(
                fields=["priority_rank", "-reported_at", "id"],
                condition=models.Q(status__in=[status.value for status in OPEN_STATUSES]),
                name="issue_open_priority_newest",
            ),
            models.Index(
                fields=["assignee", "priority_rank", "-reported_at", "id"],
                condition=models.Q(status__in=[status.value for status in OPEN_STATUSES]),
                name="issue_open_assignee_rank_new",
            ),
            # A search for a whole mail address: that reporter's issues (queries._search).
            models.Index(Upper("reporter_email"), name="issue_reporter_address"),
        ]

    def __str__(self):
        return self.reference


class CommentRecord(models.Model):
    id = models.UUIDField(primary_key=True)
    issue = models.ForeignKey(IssueRecord, on_delete=models.CASCADE, related_name="comments")
    author_role = models.CharField(
        max_length=10, choices=[(r.value, r.name.title()) for r in ActorRole]
    )
    author_name = models.CharField(max_length=200)
    author_email = models.CharField(max_length=254, blank=True)
    body = models.TextField()
    visibility = models.CharField(
        max_length=10, choices=[(v.value, v.name.title()) for v in Visibility]
    )
    created_at = models.DateTimeField()

    class Meta:
        db_table = "issues_comment"
        verbose_name = gettext_lazy("comment")
        verbose_name_plural = gettext_lazy("comments")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["issue", "created_at"], name="comment_issue_time")]

    def __str__(self):
        return f"{self.author_name}: {self.body[:40]}"


class TagRecord(models.Model):
    """One tag of one issue; the queue filters by tag through (tag, issue)."""

    issue = models.ForeignKey(IssueRecord, on_delete=models.CASCADE, related_name="tag_rows")
    tag = models.CharField(max_length=32)
    position = models.PositiveSmallIntegerField(default=0)
    # Whether its issue is open, kept by the repository as the issue opens and ends: the queue
    # counts a tag's open issues from these rows alone (queries._matching).
    issue_open = models.BooleanField()

    class Meta:
        db_table = "issues_tag"
        verbose_name = "tag"
        constraints = [
            models.UniqueConstraint(fields=["tag", "issue"], name="tag_once_per_issue"),
        ]
        indexes = [
            models.Index(
                fields=["tag", "issue"], condition=models.Q(issue_open=True), name="tag_open_issue"
            ),
        ]

    def __str__(self):
        return self.tag


class AttachmentRecord(models.Model):
    """A file that came with the report (`comment_id` null) or a comment, written with the
    event that names it. Its bytes are in the attachments storage under its id; a stored file
    with no row here was left by a refused or crashed request (`manage.py purge_orphan_files`)."""

    id = models.UUIDField(primary_key=True)
    issue = models.ForeignKey(IssueRecord, on_delete=models.CASCADE, related_name="attachments")
    comment_id = models.UUIDField(null=True, blank=True)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    visibility = models.CharField(
        max_length=10, choices=[(v.value, v.name.title()) for v in Visibility]
    )
    created_at = models.DateTimeField()

    class Meta:
        db_table = "issues_attachment"
        verbose_name = "attachment"
        indexes = [models.Index(fields=["issue", "created_at"], name="attachment_issue_time")]

    def __str__(self):
        return self.filename


class WatcherRecord(models.Model):
    """An address copied on an issue's public activity."""

    issue = models.ForeignKey(IssueRecord, on_delete=models.CASCADE, related_name="watchers")
    email = models.CharField(max_length=254)

    class Meta:
        db_table = "issues_watcher"
        verbose_name = "watcher"
        constraints = [
            models.UniqueConstraint(fields=["issue", "email"], name="watcher_once_per_issue")
        ]

    def __str__(self):
        return self.email


class CurrentTransactionId(models.Func):
    """The writing transaction's id on PostgreSQL (0 elsewhere): a column default.

    Positions come from a sequence, so on PostgreSQL a transaction that took a lower position
    can commit after one that took a higher one. Ordered by (transaction id, position) and
    read only below the oldest transaction still running, the log is final: nothing can
    commit into the part already read (eventing/outbox.py). SQLite commits one writer at a
    time, in position order.
    """

    output_field = models.BigIntegerField()

    def as_sql(self, compiler, connection, **extra_context):
        return "0", []

    def as_postgresql(self, compiler, connection, **extra_context):
        return "(pg_current_xact_id()::text::bigint)", []


class RecordedEvent(models.Model):
    """The outbox and event log: every event, in the transaction of its change.

    `position` is the event's place in one global order; `transaction_id` orders the events
    of concurrent commits safely (see CurrentTransactionId). The envelope - the issue's status
    after the event, the correlation and causation ids, the schema version of `data` - has
    columns of its own.
    """

    position = models.BigAutoField(primary_key=True)
    transaction_id = models.BigIntegerField(db_default=CurrentTransactionId())
    event_id = models.UUIDField(unique=True)
    event_type = models.CharField(max_length=50)
    issue_id = models.UUIDField()  # indexed by event_issue_position, which starts with it
    issue_version = models.PositiveIntegerField()
    actor_role = models.CharField(max_length=10)
    actor_name = models.CharField(max_length=200)
    status = models.CharField(max_length=20, null=True)
    correlation_id = models.CharField(max_length=200, null=True)
    causation_id = models.CharField(max_length=200, null=True)
    schema_version = models.PositiveSmallIntegerField(db_default=1)
    data = models.JSONField()
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "issues_recorded_event"
        ordering = ["position"]
        verbose_name = gettext_lazy("recorded event")
        verbose_name_plural = gettext_lazy("recorded events")
        indexes = [
            models.Index(fields=["issue_id", "position"], name="event_issue_position"),
            models.Index(fields=["transaction_id", "position"], name="event_commit_order"),
        ]

    def __str__(self):
        return f"#{self.position} {self.event_type} v{self.issue_version}"
