"""Tables of the event relay: who has taken in which event, what mail went out, what came in.

- `Delivery`: one row per (handler, event). Its unique key makes a second delivery a no-op;
  a handler's effects inside our database commit in the same transaction that marks it done
  (a mail handler's send happens between two short transactions, marked `sending`).
  It also carries the retry state (attempts, next try) and, when the relay gives up, `parked`.
- `SentMail`: one row per mail, keyed (handler, event_id) and by its Message-ID.
- `InboundMessage`: one row per message read from the mailbox, keyed by its Message-ID, so a
  message read twice (or by two fetchers at once) makes one issue or comment.
"""

from django.db import models


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
        verbose_name_plural = "deliveries"
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
        ]

    def __str__(self):
        return f"{self.handler} #{self.position} ({self.status})"


class SentMail(models.Model):
    handler = models.CharField(max_length=100)
    event_id = models.UUIDField()
    issue_id = models.UUIDField(db_index=True)
    message_id = models.CharField(max_length=250, unique=True)
    recipient = models.CharField(max_length=254)
    subject = models.CharField(max_length=250)
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "sent mail"
        verbose_name_plural = "sent mail"
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
        verbose_name = "inbound message"

    def __str__(self):
        return f"{self.message_id} ({self.status})"
