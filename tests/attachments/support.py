"""Real files for the attachment tests, and a look at what storage holds."""

import hashlib
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from issues_adapters.attachments.storage import attachment_storage
from tests.api.contexts import A_REPORT, ISSUES


def png_bytes(size=(40, 30), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stored_names() -> set[str]:
    return set(attachment_storage().listdir("")[1])


def stored_bytes(attachment_id) -> bytes:
    with attachment_storage().open(str(attachment_id), "rb") as handle:
        return handle.read()


def report_with(*files):
    """A report over the API carrying these uploads."""
    return APIClient().post(ISSUES, A_REPORT | {"files": list(files)}, format="multipart")
