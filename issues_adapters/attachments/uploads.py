"""Storing what came with a message: streamed to storage in chunks, hashed on the way, its type
read from its first bytes (libmagic), never from the client's say-so.

Files are written before the command commits, so no event ever names a file that is not
there; if the command is then refused, `discarded_unless_kept` deletes them, and a crash in
between leaves files that `manage.py purge_orphan_files` sweeps.

`LimitedUploads` is an upload handler that counts bytes as the body arrives and stops reading
files at the first limit, so an oversized upload is never written whole anywhere.

A form or view that takes files (`templates/web/_attach_field.html`, enctype multipart):

    @csrf_exempt  # the limits must be in place before the CSRF check reads the body
    @require_POST
    def view(request, ...):
        return _view(request, ..., limit_uploads(request))

    @csrf_protect
    def _view(request, ..., uploads):
        ...
        attachments = uploaded(request, uploads)  # InvalidInput (400) past a limit
        with discarded_unless_kept(attachments):
            message_bus().handle(SomeCommand(..., attachments=attachments))

An API view mixes in `api.views.AcceptsFiles` and calls `self.stored_files(request)`.
"""

import hashlib
import re
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import magic
from django.core.files import File
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

from issues_adapters.attachments.scanning import configured_scanner, infected
from issues_adapters.attachments.storage import (
    attachment_storage,
    configured_limits,
    discard,
    name_of,
)
from issues_domain.attachments import Attachment, AttachmentLimits, safe_filename
from issues_domain.errors import InvalidInput

FIELD = "files"
_SNIFF_BYTES = 8192
# What browsers make of `"`, CR and LF in a multipart file name (the HTML standard); Django
# leaves them as sent.
_BROWSER_ESCAPES = {"%22": '"', "%0D": "\r", "%0A": "\n"}


def name_sent(name: str | None) -> str:
    """An uploaded file's name as it was on the sender's disk, made safe to show."""
    decoded = re.sub("%22|%0D|%0A", lambda escape: _BROWSER_ESCAPES[escape[0]], name or "")
    return safe_filename(decoded)


class _Hashing:
    """A readable file that hashes, counts and has scanned what is read from it, from its
    start (a rewind starts a new scan)."""

    def __init__(self, source, size: int, filename: str):
        self.source, self.size = source, size  # `size`: what File and storages ask
        self.filename = filename
        self._scan = None
        self.seek(0)

    def seek(self, offset: int, whence: int = 0) -> int:
        if (offset, whence) != (0, 0):
            raise OSError("only a rewind to the start is supported")
        self.source.seek(0)
        self.hash, self.read_bytes = hashlib.sha256(), 0
        if self._scan is not None:
            self._scan.close()
        self._scan = None
        return 0

    @property
    def scan(self):
        if self._scan is None:
            self._scan = configured_scanner().start(self.filename)
        return self._scan

    def tell(self) -> int:
        return self.read_bytes

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.hash.update(data)
        self.scan.feed(data)
        self.read_bytes += len(data)
        return data

    def close(self) -> None:
        pass


def detected_type(head: bytes) -> str:
    found = magic.from_buffer(head, mime=True) if head else ""
    if not found or "/" not in found:
        return "application/octet-stream"
    return found[:100]


def store_file(source, filename: str, size: int) -> Attachment:
    """Copy one readable binary file of `size` bytes into storage; its metadata."""
    attachment_id = uuid.uuid4()
    source.seek(0)
    head = source.read(_SNIFF_BYTES)
    hashing = _Hashing(source, size, filename)
    attachment_storage().save(name_of(attachment_id), File(hashing, name=name_of(attachment_id)))
    try:
        found = hashing.scan.verdict()
    except BaseException:
        discard([attachment_id])
        raise
    if found:
        discard([attachment_id])
        raise infected(filename, found)
    return Attachment(
        id=attachment_id,
        filename=filename,
        content_type=detected_type(head),
        size=hashing.read_bytes,
        sha256=hashing.hash.hexdigest(),
    )


def store_uploads(
    files: Iterable, limits: AttachmentLimits | None = None
) -> tuple[Attachment, ...]:
    """Store every uploaded file (Django's UploadedFile) or none: the first that breaks a limit
    (named, with the limit, in an InvalidInput on `files`) removes those already stored."""
    limits = limits or configured_limits()
    files = list(files)
    limits.check_count(len(files))
    stored: list[Attachment] = []
    total = 0
    try:
        for upload in files:
            filename = name_sent(upload.name)
            limits.check_not_empty(filename, upload.size or 0)
            limits.check_file(filename, upload.size)
            total += upload.size
            limits.check_message(filename, total)
            stored.append(store_file(upload, filename, upload.size))
            upload.close()
    except BaseException:
        discard(attachment.id for attachment in stored)
        raise
    return tuple(stored)


@contextmanager
def discarded_unless_kept(attachments: Iterable[Attachment]) -> Iterator[None]:
    """Run the command that names the files; if it fails, the files go."""
    try:
        yield
    except BaseException:
        discard(attachment.id for attachment in attachments)
        raise


class LimitedUploads(FileUploadHandler):
    """Counts each file's bytes as they arrive; at the first limit it stops reading files and
    keeps the refusal for the view to answer with (400, naming the file and the limit)."""

    def __init__(self, request=None, limits: AttachmentLimits | None = None):
        super().__init__(request)
        self.limits = limits or configured_limits()
        self.refusal: InvalidInput | None = None
        self.count = self.total = self.current = 0
        self.names: list[str] = []  # every file begun, the one that broke a limit too

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        self.names.append(name_sent(file_name))
        self.count += 1
        self.current = 0
        self._check(lambda: self.limits.check_count(self.count))

    def receive_data_chunk(self, raw_data, start):
        self.current += len(raw_data)
        self.total += len(raw_data)
        name = name_sent(self.file_name)
        self._check(lambda: self.limits.check_file(name, self.current))
        self._check(lambda: self.limits.check_message(name, self.total))
        return raw_data

    def file_complete(self, file_size):
        return None

    def _check(self, check) -> None:
        try:
            check()
        except InvalidInput as refusal:
            self.refusal = refusal
            raise StopUpload(connection_reset=False) from None


def limit_uploads(request) -> LimitedUploads:
    """Put the limits in front of the request's upload handlers (before its body is read)."""
    handler = LimitedUploads(request)
    request.upload_handlers.insert(0, handler)
    return handler


def names_sent(request) -> list[str]:
    """The names of the files the request carried, as far as it was read: a refused form's
    files are not kept (no browser lets a page fill a file field), so they must be named."""
    files = request.FILES.getlist(FIELD)
    handler = next((h for h in request.upload_handlers if isinstance(h, LimitedUploads)), None)
    return list(handler.names) if handler else [name_sent(upload.name) for upload in files]


def uploaded(request, handler: LimitedUploads) -> tuple[Attachment, ...]:
    """The request's files, stored; InvalidInput if the upload broke a limit."""
    files = request.FILES.getlist(FIELD)
    if handler.refusal is not None:
        for upload in request.FILES.values():
            upload.close()
        raise handler.refusal
    return store_uploads(files)
