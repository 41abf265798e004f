"""Attachments: what the helpdesk knows about a file that came with a message.

The bytes live in storage (an adapter); the issue and its events hold only this metadata. An
attachment takes its message's visibility: a file on an internal note is staff-only.
"""

import re
import unicodedata
import uuid
from dataclasses import dataclass

from issues_domain.errors import InvalidInput
from issues_domain.texts import Text, gettext_noop

FILENAME_MAX_LENGTH = 200
# Images a browser may show inline; everything else is only ever served as a download.
INLINE_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
_BIDI_AND_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


@dataclass(frozen=True)
class Attachment:
    id: uuid.UUID
    filename: str
    content_type: str
    size: int
    sha256: str

    @property
    def shows_inline(self) -> bool:
        return self.content_type in INLINE_IMAGE_TYPES


def safe_filename(name: str | None) -> str:
    """A name that is only a name: no folders, control or direction-changing characters, and
    short enough to show, keeping its extension."""
    text = unicodedata.normalize("NFC", name or "")
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = _BIDI_AND_INVISIBLE.sub("", text)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    text = " ".join(text.split()).strip(" .")
    if len(text) > FILENAME_MAX_LENGTH:
        stem, dot, extension = text.rpartition(".")
        if dot and 0 < len(extension) <= 16:
            text = stem[: FILENAME_MAX_LENGTH - len(extension) - 1] + "." + extension
        else:
            text = text[:FILENAME_MAX_LENGTH]
    return text or "attachment"


def _size(size: int) -> Text:
    """A limit in megabytes from 0.1 MB up, with one decimal only when it has one ("10 MB",
    "2.5 MB"), else in bytes; the adapter writes the number the reader's way."""
    if size < 100_000:
        return Text(gettext_noop("%(bytes)s bytes"), bytes=size)
    megabytes = round(size / 1_000_000, 1)
    megabytes = int(megabytes) if megabytes.is_integer() else megabytes
    return Text(gettext_noop("%(megabytes)s MB"), megabytes=megabytes)


@dataclass(frozen=True)
class AttachmentLimits:
    """How much a message may carry; each refusal names the file and the limit."""

    max_files: int = 10
    max_file_bytes: int = 10_000_000
    max_message_bytes: int = 25_000_000

    def check_count(self, count: int) -> None:
        if count > self.max_files:
            # The limit alone: an upload stops being read at the first file too many, so the
            # count there is the limit plus one, whatever was sent.
            message = gettext_noop("At most %(limit)s files per message.")
            raise _refused(Text(message, limit=self.max_files))

    def check_file(self, filename: str, size_so_far: int) -> None:
        if size_so_far > self.max_file_bytes:
            message = gettext_noop(
                "“%(filename)s” is larger than %(limit)s, the limit for one file."
            )
            raise _refused(Text(message, filename=filename, limit=_size(self.max_file_bytes)))

    def check_message(self, filename: str, total_so_far: int) -> None:
        if total_so_far > self.max_message_bytes:
            message = gettext_noop(
                "With “%(filename)s” the files come to more than %(limit)s, "
                "the limit for one message."
            )
            raise _refused(Text(message, filename=filename, limit=_size(self.max_message_bytes)))

    @staticmethod
    def check_not_empty(filename: str, size: int) -> None:
        if size == 0:
            raise _refused(Text(gettext_noop("“%(filename)s” is empty."), filename=filename))


def _refused(message: str) -> InvalidInput:
    return InvalidInput.on("files", message)
