"""Idempotency-Key on POST: the first response is kept and given again; nothing runs twice.

How a POST with `Idempotency-Key: <key>` goes:

1. **Claim** (its own short transaction, committed at once so other requests see it): insert
   a `running` row for (caller, key). The unique constraint on (caller, key) decides races:
   of two requests with one key, exactly one inserts; the other finds the existing row and
   answers from it:
   - a different request (method, path, If-Match or body, a file's content included,
     differ) → 422;
   - still `running` → 409 `idempotency_key_in_use` (retry later for the real answer);
   - `done` → the stored status, body, `Location` and `ETag`, plus `Idempotent-Replayed: true`,
     executing nothing.
2. **Run** the command and **complete** the claim with its response in *one* transaction, so a
   committed change always has its stored response: a retry after a dropped response replays
   instead of acting twice.
3. What is kept: every final answer below 500, failures included (a 400, a 409 refusal or a
   412 would be the same on a retry); a NUL character a 400 echoes is kept as U+FFFD, since
   PostgreSQL's jsonb cannot hold it. Not kept, claim released so a retry runs afresh: a 5xx or
   crash (the transaction rolled back, nothing happened) and a transient refusal
   (`concurrent_update`). A claim left `running` by a process that died is taken over after
   `lease()` (LEASE_SECONDS, 120 s): until then a retry gets 409 `idempotency_key_in_use`.

The caller is `user:<id>` when authenticated, else `anon:<client address>` (the address the
throttles use, issues_adapters/http/client_address.py): an anonymous key only replays to the
same address, and a made-up X-Forwarded-For cannot reach another address's keys. Clients
should use random keys (UUIDs). Keys expire after 24 hours: an expired row is ignored and
replaced, and `manage.py purge_idempotency_keys` deletes them.
"""

import hashlib
import json
import re
import uuid
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from issues_adapters.api.errors import TRANSIENT_CODES, IdempotencyKeyInUse, IdempotencyKeyReused
from issues_adapters.api.models import IdempotencyRecord
from issues_adapters.http.client_address import client_address
from issues_adapters.persistence.plain_statements import insert, update

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEPT_HEADERS = ("Location", "ETag")
KEY_MAX_LENGTH = 255
KEY_PATTERN = rf"[!-~]{{1,{KEY_MAX_LENGTH}}}"  # visible ASCII, as in a header token
_KEY = re.compile(KEY_PATTERN)
LEASE_SECONDS = 120


def ttl() -> timedelta:
    return timedelta(seconds=getattr(settings, "HELPDESK_IDEMPOTENCY_TTL_SECONDS", 24 * 3600))


def lease() -> timedelta:
    return timedelta(seconds=getattr(settings, "HELPDESK_IDEMPOTENCY_LEASE_SECONDS", LEASE_SECONDS))


def idempotent(request: Request, run: Callable[[], Response]) -> Response:
    """Run `run` (which answers errors as responses) at most once per caller and key."""
    key = request.headers.get(HEADER)
    if key is None:
        return run()
    if not _KEY.fullmatch(key):
        raise exceptions.ValidationError(
            {HEADER: ["Use 1 to 255 visible ASCII characters, such as a UUID."]}
        )
    record = _claim(key, caller_of(request), fingerprint(request))
    if isinstance(record, Response):
        return record
    try:
        with transaction.atomic():
            response = run()
            if _is_final(response):
                _complete(record, response)
            else:
                transaction.set_rollback(True)
    except BaseException:
        _release(record)
        raise
    if not _is_final(response):
        _release(record)
    return response


def caller_of(request: Request) -> str:
    if request.user and request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"anon:{client_address(request)}"


def _comparable(data):
    """A multipart body as plain data: its fields, and each file by name, size and content."""
    if not hasattr(data, "lists"):
        return data
    return {
        name: [
            [value.name, value.size, _content_hash(value)] if hasattr(value, "chunks") else value
            for value in values
        ]
        for name, values in data.lists()
    }


def _content_hash(upload) -> str:
    """The file's SHA-256, read in chunks (a file may be 10 MB); left rewound for the view. A
    file past the upload limits is closed already (its request is refused): no content."""
    if upload.closed:
        return ""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def fingerprint(request: Request) -> str:
    data = _comparable(request.data)
    what = [request.method, request.path, request.headers.get("If-Match"), data]
    canonical = json.dumps(what, sort_keys=True, cls=DjangoJSONEncoder, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def purge_expired(now=None) -> int:
    now = now or timezone.now()
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=now - ttl()).delete()
    return deleted


def _claim(key: str, caller: str, print_: str) -> IdempotencyRecord | Response:
    for _attempt in range(3):
        now = timezone.now()
        values = {
            "key": key,
            "caller": caller,
            "fingerprint": print_,
            "claim": uuid.uuid4(),
            "state": IdempotencyRecord.RUNNING,
            "response_headers": {},
            "created_at": now,
        }
        try:
            with transaction.atomic():
                record_id = insert(IdempotencyRecord, values, returning="id")
            return IdempotencyRecord(id=record_id, **values)
        except IntegrityError:
            pass
        existing = IdempotencyRecord.objects.filter(caller=caller, key=key).first()
        if existing is None:
            continue  # released or purged meanwhile: claim again
        abandoned = existing.state == IdempotencyRecord.RUNNING and (
            existing.created_at < now - lease()
        )
        if existing.created_at < now - ttl() or abandoned:
            IdempotencyRecord.objects.filter(pk=existing.pk, claim=existing.claim).delete()
            continue
        if existing.fingerprint != print_:
            raise IdempotencyKeyReused()
        if existing.state == IdempotencyRecord.RUNNING:
            raise IdempotencyKeyInUse()
        return _replay(existing)
    raise IdempotencyKeyInUse()


def _replay(record: IdempotencyRecord) -> Response:
    headers = dict(record.response_headers) | {REPLAYED_HEADER: "true"}
    return Response(record.response_body, status=record.response_status, headers=headers)


def _is_final(response: Response) -> bool:
    if response.status_code >= 500:
        return False
    data = response.data
    return not (isinstance(data, dict) and data.get("code") in TRANSIENT_CODES)


def _storable(value):
    """The body as PostgreSQL's jsonb can hold it: U+0000 (which a 400 may echo from the
    request) becomes U+FFFD, the replacement character, in keys and strings."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, list):
        return [_storable(item) for item in value]
    if isinstance(value, dict):
        return {_storable(key): _storable(item) for key, item in value.items()}
    return value


def _complete(record: IdempotencyRecord, response: Response) -> None:
    body = _storable(json.loads(json.dumps(response.data, cls=DjangoJSONEncoder)))
    updated = update(
        IdempotencyRecord,
        {
            "state": IdempotencyRecord.DONE,
            "response_status": response.status_code,
            "response_body": body,
            "response_headers": {name: response[name] for name in KEPT_HEADERS if name in response},
            "completed_at": timezone.now(),
        },
        where={"id": record.pk, "claim": record.claim, "state": IdempotencyRecord.RUNNING},
    )
    if updated != 1:
        # Our claim outlived its lease and a retry took it over: undo our work, let it win.
        raise IdempotencyKeyInUse()


def _release(record: IdempotencyRecord) -> None:
    IdempotencyRecord.objects.filter(
        pk=record.pk, claim=record.claim, state=IdempotencyRecord.RUNNING
    ).delete()
