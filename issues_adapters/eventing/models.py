"""Tables of the event relay: who has taken in which event, what mail went out, what came in.

- `Checkpoint`: per handler, how far into the log (in commit order) it has taken in every
  event: each event up to its mark has a `Delivery` row (done, pending a retry, or parked).
- `Rebuild`: a read model being rebuilt into new tables, with its progress.
- `Delivery`: one row per (handler, event). Its unique key makes a second delivery a no-op;
  a handler's effects inside our database commit in the same transaction that marks it done
  (a mail handler's send happens between two short transactions, marked `sending`).
  It also carries the retry state (attempts, next try) and, when the relay gives up, `parked`.
- `SentMail`: one row per mail, keyed (handler, event_id) and by its Message-ID; a digest also
  lists every event it told of (`tells_of`).
- `InboundMessage`: one row per message read from the mailbox, keyed by its Message-ID, so a
  message read twice (or by two fetchers at once) makes one issue or comment.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        # A handler that sends mail runs outside the delivery transaction: while it does,
        # its row says so, and every other worker leaves it alone (relay.py).
        SENDING = "sending", "Sending"
        DONE = "done", "Done"
        PARKED = "parked", "Parked"

    handler = models.CharField(max_length=100)
    position = models.BigIntegerField(help_text="The event's position in the event log.")
    event_id = models.UUIDField()
    event_type = models.CharField(max_length=50)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    last_tried_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["handler", "position"], name="delivery_once")
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="delivery_pending_due",
            ),
            models.Index(
                fields=["-last_tried_at"],
                condition=models.Q(status="parked"),
                name="delivery_parked_recent",
            ),
            # The status panel counts the few rows being sent without walking the done ones.
            models.Index(
                fields=["handler"], condition=models.Q(status="sending"), name="delivery_sending"
            ),
        ]

    def __str__(self):
        return f"{self.handler} #{self.position} ({self.status})"


class Checkpoint(models.Model):
    handler = models.CharField(max_length=100, primary_key=True)
    # The last event taken in, in commit order (see persistence.models.CurrentTransactionId).
    transaction_id = models.BigIntegerField(default=0)
    position = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.handler} at #{self.position}"


class Rebuild(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    handler = models.CharField(max_length=100)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    events_total = models.BigIntegerField(default=0)
    events_done = models.BigIntegerField(default=0)
    requested_by = models.CharField(max_length=150, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    heartbeat_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [
            # A second rebuild of the same read model cannot start while one runs.
            models.UniqueConstraint(
                fields=["handler"], condition=models.Q(status="running"), name="one_rebuild_running"
            )
        ]
        indexes = [models.Index(fields=["handler", "-started_at"], name="rebuild_latest")]

    def __str__(self):
        return f"rebuild of {self.handler} ({self.status})"


class SentMail(models.Model):
    handler = models.CharField(max_length=100)
    event_id = models.UUIDField()
    issue_id = models.UUIDField(db_index=True)
    message_id = models.CharField(max_length=250, unique=True)
    recipient = models.CharField(max_length=254)
    subject = models.CharField(max_length=250)
    tells_of = models.JSONField(
        default=list, blank=True, help_text="The events a digest told of (their ids), in order."
    )
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sent mail")
        verbose_name_plural = _("sent mails")
        constraints = [
            models.UniqueConstraint(fields=["handler", "event_id"], name="sent_mail_once")
        ]

    def __str__(self):
        return f"{self.subject} → {self.recipient}"


class InboundMessage(models.Model):
    class Status(models.TextChoices):
        REPORTED = "reported", "Opened an issue"
        COMMENTED = "commented", "Commented on an issue"
        SET_ASIDE = "set_aside", "Set aside"

    message_id = models.CharField(max_length=250, unique=True)
    source = models.CharField(max_length=300)
    sender = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=250, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    issue_id = models.UUIDField(null=True, blank=True)
    comment_id = models.UUIDField(null=True, blank=True)
    error = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")

    def __str__(self):
        return f"{self.message_id} ({self.status})"
