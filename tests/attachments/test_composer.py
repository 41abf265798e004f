"""The issue page's composer (ReplyToIssue) carries files: a reply, a note, or a question that
waits for the reporter, or a reply that resolves (the resolution carries the files)."""

import pytest
from django.core import mail
from django.test import Client, TestCase

from issues_adapters.persistence.models import AttachmentRecord, IssueRecord, RecordedEvent
from tests.attachments.support import png_bytes, stored_names, upload
from tests.web.support import issue_in, staff_client, token

pytestmark = pytest.mark.django_db

delivered = TestCase.captureOnCommitCallbacks


def send(client, issue_id, follow_up, files, **fields):
    return client.post(
        f"/staff/issues/{issue_id}/reply/",
        {
            "body": "See the attached photo.",
            "visibility": "public",
            "follow_up": follow_up,
            "expected_version": IssueRecord.objects.get(id=issue_id).version,
            "files": files,
            **fields,
        },
    )


def test_the_composer_is_a_multipart_form_with_the_file_field():
    issue_id = issue_in("assigned")
    html = staff_client().get(f"/staff/issues/{issue_id}/").content.decode()
    composer = html[html.index('id="composer-form"') - 200 : html.index('id="send-button"')]
    assert 'enctype="multipart/form-data"' in composer
    assert 'type="file" name="files"' in composer


def test_a_reply_that_waits_for_the_reporter_carries_its_file_to_them():
    issue_id = issue_in("assigned")
    with delivered(execute=True):
        response = send(staff_client(), issue_id, "await_reporter", [upload("a.png", png_bytes())])
    assert response.status_code == 302
    file = AttachmentRecord.objects.get(issue_id=issue_id)
    event = RecordedEvent.objects.filter(issue_id=issue_id).last()
    assert event.event_type == "IssueAwaitingReporter"
    assert [a["id"] for a in event.data["attachments"]] == [str(file.id)]
    assert IssueRecord.objects.get(id=issue_id).status == "waiting"
    assert file.visibility == "public"
    tracking = Client().get(f"/track/{token(issue_id)}/").content.decode()
    assert f"attachments/{file.id}/" in tracking
    (waiting_mail,) = [m for m in mail.outbox if "a.png" in m.body]
    assert [name for name, _data, _type in waiting_mail.attachments] == ["a.png"]


def test_a_plain_reply_keeps_its_file():
    issue_id = issue_in("assigned")
    response = send(staff_client(), issue_id, "send", [upload("log.txt", b"lines")])
    assert response.status_code == 302
    assert AttachmentRecord.objects.filter(issue_id=issue_id).count() == 1


def test_a_reply_that_resolves_carries_its_file_with_the_resolution():
    issue_id = issue_in("assigned")
    with delivered(execute=True):
        response = send(staff_client(), issue_id, "resolve", [upload("fix.png", png_bytes())])
    assert response.status_code == 302
    assert IssueRecord.objects.get(id=issue_id).status == "resolved"
    file = AttachmentRecord.objects.get(issue_id=issue_id)
    assert file.visibility == "public"
    event = RecordedEvent.objects.filter(issue_id=issue_id).last()
    assert event.event_type == "IssueResolved"
    assert [a["id"] for a in event.data["attachments"]] == [str(file.id)]
    assert event.data["message_id"] == str(file.comment_id)
    staff_page = staff_client().get(f"/staff/issues/{issue_id}/").content.decode()
    resolution = staff_page[staff_page.index("<h2>Resolution</h2>") :]
    assert f"attachments/{file.id}/" in resolution[: resolution.index("</div>")]
    tracking = Client().get(f"/track/{token(issue_id)}/").content.decode()
    resolution = tracking[tracking.index('id="resolution"') :]
    assert f"attachments/{file.id}/" in resolution[: resolution.index("</div>")]
    served = Client().get(f"/track/{token(issue_id)}/attachments/{file.id}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    (resolution_mail,) = [m for m in mail.outbox if "marked" in m.body]
    assert [name for name, _data, _type in resolution_mail.attachments] == ["fix.png"]
    assert "fix.png" in resolution_mail.body


def test_a_reply_that_resolves_refused_by_the_lifecycle_keeps_no_file():
    issue_id = issue_in("closed")
    before = stored_names()
    response = send(staff_client(), issue_id, "resolve", [upload("log.txt", b"lines")])
    assert response.status_code == 302
    assert IssueRecord.objects.get(id=issue_id).status == "closed"
    assert not AttachmentRecord.objects.filter(issue_id=issue_id).exists()
    assert stored_names() == before
