"""The issue page's composer (ReplyToIssue) carries files: a reply, a note, or a question that
waits for the reporter; a reply that resolves carries none (the resolution has no files)."""

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


def test_a_reply_that_resolves_with_a_file_is_refused_and_keeps_nothing():
    issue_id = issue_in("assigned")
    before = stored_names()
    response = send(staff_client(), issue_id, "resolve", [upload("log.txt", b"lines")])
    assert response.status_code == 302
    assert IssueRecord.objects.get(id=issue_id).status == "assigned"
    assert not AttachmentRecord.objects.filter(issue_id=issue_id).exists()
    assert stored_names() == before
