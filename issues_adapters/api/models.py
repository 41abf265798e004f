"""The API's own table: the Idempotency-Key store (see idempotency.py for how it is used)."""

from django.db import models


class IdempotencyRecord(models.Model):
    """One POST made with an Idempotency-Key by one caller, and, once done, its response.

    A row is inserted *before* the request runs (the claim), so that the unique constraint
    decides which of two racing requests with the same key goes ahead.
    """

    RUNNING = "running"
    DONE = "done"

    key = models.CharField(max_length=255)
    # "user:<id>" for an authenticated caller, "anon:<client address>" for anybody else.
    caller = models.CharField(max_length=255)
    # SHA-256 of method, path, If-Match and the parsed body: the same key with a different
    # request is refused with 422.
    fingerprint = models.CharField(max_length=64)
    # A random value per claim, so a request whose abandoned claim was taken over by a retry
    # cannot overwrite the retry's outcome.
    claim = models.UUIDField()
    state = models.CharField(max_length=10, choices=[(RUNNING, "Running"), (DONE, "Done")])
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    response_headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "api_idempotency_record"
        constraints = [
            models.UniqueConstraint(fields=["caller", "key"], name="idempotency_caller_key"),
        ]
        indexes = [models.Index(fields=["created_at"], name="idempotency_created")]

    def __str__(self):
        return f"{self.caller} {self.key} ({self.state})"
