"""Attachments on the pages: the report form, the tracking page's reply and the staff comment
form attach; staff open every file, a reporter only the public files of their own issue;
images get thumbnails, a decompression bomb does not; orphan files are swept."""

import io
import os
import time
import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from PIL import Image

from issues_adapters.attachments.management.commands.purge_orphan_files import (
    purge_orphan_files,
)
from issues_adapters.attachments.storage import attachment_storage
from issues_adapters.attachments.uploads import store_file
from issues_adapters.persistence.models import AttachmentRecord, IssueRecord
from tests.attachments.support import png_bytes, stored_names, upload
from tests.web.support import issue_in, staff_client, token

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Fred",
    "email": "fred@example.org",
    "subject": "Printer jams",
    "description": "See the photo.",
}


def reported_with_photo() -> IssueRecord:
    response = Client().post("/", FORM | {"files": [upload("photo.png", png_bytes())]})
    assert response.status_code == 302, response.content.decode()[:2000]
    return IssueRecord.objects.get()


def test_the_report_form_attaches_a_file_that_staff_and_the_reporter_see():
    issue = reported_with_photo()
    (file,) = AttachmentRecord.objects.filter(issue=issue)

    staff_page = staff_client().get(f"/staff/issues/{issue.id}/").content.decode()
    tracking = Client().get(f"/track/{issue.tracking_token}/").content.decode()

    assert f"/staff/attachments/{file.id}/" in staff_page
    assert f"/staff/attachments/{file.id}/thumbnail/" in staff_page
    assert f"/track/{issue.tracking_token}/attachments/{file.id}/" in tracking
    assert Client().get(f"/track/{issue.tracking_token}/attachments/{file.id}/").status_code == 200
    assert staff_client().get(f"/staff/attachments/{file.id}/").status_code == 200


def test_the_staff_file_view_wants_a_staff_login():
    issue = reported_with_photo()
    file = AttachmentRecord.objects.get(issue=issue)

    response = Client().get(f"/staff/attachments/{file.id}/")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_internal_notes_file_never_reaches_the_reporter():
    issue_id = issue_in("assigned")
    staff = staff_client()
    staff.post(
        f"/staff/issues/{issue_id}/comment/",
        {
            "body": "Their password is in here.",
            "visibility": "internal",
            "expected_version": IssueRecord.objects.get(id=issue_id).version,
            "files": [upload("secret.txt", b"hunter2")],
        },
    )
    file = AttachmentRecord.objects.get(issue_id=issue_id)
    tracking_token = token(issue_id)

    tracking = Client().get(f"/track/{tracking_token}/").content.decode()

    assert file.visibility == "internal"
    assert "secret.txt" not in tracking
    assert Client().get(f"/track/{tracking_token}/attachments/{file.id}/").status_code == 404
    assert (
        f"/staff/attachments/{file.id}/" in staff.get(f"/staff/issues/{issue_id}/").content.decode()
    )


def test_another_issues_link_opens_none_of_this_issues_files():
    issue = reported_with_photo()
    file = AttachmentRecord.objects.get(issue=issue)
    other = issue_in("reported")

    response = Client().get(f"/track/{token(other)}/attachments/{file.id}/")

    assert response.status_code == 404


def test_the_reporter_replies_with_a_file_from_the_tracking_page():
    issue_id = issue_in("assigned")

    response = Client().post(
        f"/track/{token(issue_id)}/comment/",
        {"body": "Here is the error.", "files": [upload("error.txt", b"E42")]},
    )

    assert response.status_code == 302
    file = AttachmentRecord.objects.get(issue_id=issue_id)
    assert (file.filename, file.visibility, file.comment_id is not None) == (
        "error.txt",
        "public",
        True,
    )


def test_a_file_over_the_limit_on_the_form_is_named_and_nothing_is_reported(settings):
    settings.HELPDESK_ATTACHMENTS_MAX_FILE_BYTES = 100
    before = stored_names()

    response = Client().post("/", FORM | {"files": [upload("huge.bin", b"x" * 500)]})

    assert response.status_code == 400
    assert "huge.bin" in response.content.decode()
    assert not IssueRecord.objects.exists()
    assert stored_names() == before


def test_a_thumbnail_is_a_small_png():
    issue = reported_with_photo()
    file = AttachmentRecord.objects.get(issue=issue)

    response = staff_client().get(f"/staff/attachments/{file.id}/thumbnail/")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(response.content)).size[0] <= 240


def test_a_decompression_bomb_gets_no_thumbnail_and_is_still_only_a_file():
    bomb = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(bomb, format="PNG")  # 144 Mpx in a few kB
    response = Client().post("/", FORM | {"files": [upload("bomb.png", bomb.getvalue())]})
    assert response.status_code == 302
    file = AttachmentRecord.objects.get()

    thumbnail = staff_client().get(f"/staff/attachments/{file.id}/thumbnail/")

    assert thumbnail.status_code == 404


def test_purging_removes_old_files_no_event_names_and_keeps_the_rest():
    issue = reported_with_photo()
    kept = str(AttachmentRecord.objects.get(issue=issue).id)
    orphan = str(store_file(io.BytesIO(b"left by a crash"), "crash.txt", 15).id)
    young = str(store_file(io.BytesIO(b"still uploading"), "young.txt", 15).id)
    storage = attachment_storage()
    old = time.time() - 3 * 24 * 3600
    for name in (kept, orphan):
        os.utime(storage.path(name), (old, old))

    purged = purge_orphan_files(timedelta(days=1))

    assert purged == [orphan]
    assert {kept, young} <= stored_names()
    assert orphan not in stored_names()


def test_the_purge_command_runs(capsys):
    call_command("purge_orphan_files", "--grace-seconds", "86400")

    assert "Purged" in capsys.readouterr().out


def test_an_unknown_attachment_is_a_404_for_everybody():
    assert staff_client().get(f"/staff/attachments/{uuid.uuid4()}/").status_code == 404


def test_a_cut_off_or_empty_multipart_body_on_the_form_is_a_400():
    boundary = "XyZ"
    cut = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nFred\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n'
        "Content-Type: text/plain\r\n\r\nhalf a fi"
    ).encode()
    content_type = f"multipart/form-data; boundary={boundary}"

    answers = [
        Client().generic("POST", "/", cut, content_type=content_type).status_code,
        Client().generic("POST", "/", b"", content_type=content_type).status_code,
    ]

    assert answers == [400, 400]
    assert not IssueRecord.objects.exists()
