"""Keeping canned replies: each save goes through the domain's CannedReply, which refuses
unknown placeholders; reading fills them with one issue's values for the composer."""

from dataclasses import dataclass

from issues_adapters.canned_replies.models import CannedReplyRecord
from issues_domain.canned_replies import CannedReply, PlaceholderValues


class CannedReplyNotFound(LookupError):
    pass


@dataclass(frozen=True)
class StoredReply:
    id: int
    title: str
    body: str


def _stored(row: CannedReplyRecord) -> StoredReply:
    return StoredReply(row.id, row.title, row.body)


def all_replies() -> list[StoredReply]:
    return [_stored(row) for row in CannedReplyRecord.objects.all()]


def one(reply_id: int) -> StoredReply:
    row = CannedReplyRecord.objects.filter(id=reply_id).first()
    if row is None:
        raise CannedReplyNotFound()
    return _stored(row)


def create(title, body, *, by: str) -> StoredReply:
    reply = CannedReply.create(title, body)
    row = CannedReplyRecord.objects.create(title=reply.title, body=reply.body, updated_by=by)
    return _stored(row)


def change(reply_id: int, title, body, *, by: str) -> StoredReply:
    reply = CannedReply.create(title, body)
    row = CannedReplyRecord.objects.filter(id=reply_id).first()
    if row is None:
        raise CannedReplyNotFound()
    # save(), not update(): its post_save tells the pages that keep replies (web/reference_data).
    row.title, row.body, row.updated_by = reply.title, reply.body, by
    row.save()
    return _stored(row)


def delete(reply_id: int) -> None:
    deleted, _ = CannedReplyRecord.objects.filter(id=reply_id).delete()
    if not deleted:
        raise CannedReplyNotFound()


def filled_for(values: PlaceholderValues, replies: list[StoredReply]) -> list[StoredReply]:
    """Each reply with its placeholders filled for one issue, as the composer inserts it."""
    return [
        StoredReply(reply.id, reply.title, CannedReply(reply.title, reply.body).filled(values))
        for reply in replies
    ]
