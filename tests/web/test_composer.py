"""The issue page's composer: send, send and wait for the reporter, send and resolve, each one
POST and one change; a refusal keeps what was typed and offers only what the issue allows."""

import pytest
from django.core import mail

from issues_adapters.persistence.models import CommentRecord, RecordedEvent
from tests.web.support import issue_in, queue_ids, report, row, staff_client, token

pytestmark = pytest.mark.django_db


def issue_url(issue_id, action=""):
    return f"/staff/issues/{issue_id}/" + (f"{action}/" if action else "")


def send(client, issue_id, follow_up, body="Which printer model is it?", **data):
    fields = {
        "body": body,
        "visibility": "public",
        "follow_up": follow_up,
        "expected_version": row(issue_id).version,
    }
    return client.post(issue_url(issue_id, "reply"), fields | data)


def events_of(issue_id) -> list[str]:
    return list(
        RecordedEvent.objects.filter(issue_id=issue_id)
        .order_by("position")
        .values_list("event_type", flat=True)
    )


def test_the_composer_has_one_textarea_and_its_extras():
    html = staff_client().get(issue_url(issue_in("assigned"))).content.decode()
    assert html.count('id="composer-body"') == 1
    assert 'name="body"' in html
    assert html.count("<textarea") == 1  # no separate comment or resolve forms any more
    assert 'id="composer-form"' in html


def test_send_adds_a_comment_and_keeps_the_status():
    client, issue_id = staff_client(), issue_in("assigned")
    response = send(client, issue_id, "send", visibility="internal")
    assert response.status_code == 302 and "kept" not in response["Location"]
    assert row(issue_id).status == "assigned"
    assert CommentRecord.objects.get(issue_id=issue_id).visibility == "internal"


def test_send_and_wait_asks_the_reporter_and_mails_them(django_capture_on_commit_callbacks):
    client, issue_id = staff_client(), issue_in("assigned")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send(client, issue_id, "await_reporter")
    assert row(issue_id).status == "waiting"
    assert events_of(issue_id)[-1] == "IssueAwaitingReporter"
    assert CommentRecord.objects.get(issue_id=issue_id).body == "Which printer model is it?"
    waiting = [m for m in mail.outbox if "waiting for your answer" in m.subject]
    assert [m.to for m in waiting] == [["Fred Bloggs <fred@example.org>"]]
    assert "Which printer model is it?" in waiting[0].body


def test_send_and_resolve_is_one_change_with_the_reply_as_resolution():
    client, issue_id = staff_client(), issue_in("assigned")
    before = row(issue_id).version
    send(client, issue_id, "resolve", body="Replaced the fuser.")
    assert (row(issue_id).status, row(issue_id).resolution) == ("resolved", "Replaced the fuser.")
    assert row(issue_id).version == before + 1


def test_a_refused_send_and_wait_stores_nothing_and_keeps_the_text():
    client, issue_id = staff_client(), issue_in("reported")
    before = (row(issue_id).version, events_of(issue_id))
    response = send(client, issue_id, "await_reporter", body="My careful question")
    assert "kept=" in response["Location"]
    html = client.get(response["Location"]).content.decode()
    assert "My careful question" in html
    assert "Only a triaged or assigned issue can wait" in html
    assert 'id="send-and-wait-button"' not in html  # still not allowed: not offered
    assert (row(issue_id).version, events_of(issue_id)) == before
    assert CommentRecord.objects.filter(issue_id=issue_id).count() == 0


def test_an_internal_note_cannot_resolve_and_is_kept():
    client, issue_id = staff_client(), issue_in("assigned")
    response = send(client, issue_id, "resolve", body="Secret fix", visibility="internal")
    html = client.get(response["Location"]).content.decode()
    assert "send it as a public reply" in html and "Secret fix" in html
    assert row(issue_id).status == "assigned"


@pytest.mark.parametrize(
    ("status", "action", "data", "never_offered"),
    [
        ("closed", "reopen", {"reason": "Jams again"}, 'id="reopen-form"'),
        ("assigned", "pick", {}, 'id="pick-form"'),
        ("closed", "reply", {"body": "Hello?", "visibility": "public"}, 'id="composer-form"'),
        ("resolved", "resolve", {"resolution": "Again"}, 'id="send-and-resolve-button"'),
    ],
)
def test_a_refused_form_never_brings_back_an_action_the_status_forbids(
    status, action, data, never_offered
):
    client, issue_id = staff_client(), issue_in(status)
    response = client.post(
        issue_url(issue_id, action), {"expected_version": row(issue_id).version, **data}
    )
    html = client.get(response["Location"]).content.decode()
    assert 'id="refusal"' in html
    assert never_offered not in html
    for text in data.values():
        if text not in ("public",):
            assert text in html  # what was typed is kept, to copy


def test_a_stale_send_and_resolve_offers_only_what_is_allowed_now():
    client, issue_id = staff_client(), issue_in("assigned")
    seen = row(issue_id).version
    staff_client("bob").post(
        issue_url(issue_id, "resolve"), {"resolution": "Bob did it.", "expected_version": seen}
    )
    response = client.post(
        issue_url(issue_id, "reply"),
        {"body": "Mine", "visibility": "public", "follow_up": "resolve", "expected_version": seen},
    )
    html = client.get(response["Location"]).content.decode()
    assert "changed this issue while you were working on it" in html
    assert "Mine" in html
    assert 'id="send-and-resolve-button"' not in html and 'id="reopen-form"' in html


def test_the_reporter_answers_on_the_tracking_page_and_the_issue_returns():
    client, issue_id = staff_client(), issue_in("assigned")
    send(client, issue_id, "await_reporter")
    page = client.get(f"/track/{token(issue_id)}/")
    assert "waiting for your answer" in page.content.decode()
    client.post(f"/track/{token(issue_id)}/comment/", {"body": "An HP LaserJet 4."})
    assert row(issue_id).status == "assigned"
    assert events_of(issue_id)[-2:] == ["IssueCommented", "ReporterAnswered"]
    html = client.get(issue_url(issue_id)).content.decode()
    assert "The reporter answered (now Assigned)" in html


def test_the_reporters_reopen_reason_is_in_both_conversations():
    client, issue_id = staff_client(), issue_in("resolved")
    client.post(
        f"/track/{token(issue_id)}/reopen/",
        {"reason": "Still jams on page two.", "expected_version": row(issue_id).version},
    )
    tracking = client.get(f"/track/{token(issue_id)}/").content.decode()
    comments = tracking.split('id="comments"')[1]
    assert "Still jams on page two." in comments and "Reopened" in comments
    staff_page = client.get(issue_url(issue_id)).content.decode()
    assert "Reopened by the reporter" in staff_page and "Still jams on page two." in staff_page


def test_the_queue_has_a_waiting_view_with_its_count(django_capture_on_commit_callbacks):
    client = staff_client()
    with django_capture_on_commit_callbacks(execute=True):
        waiting = issue_in("waiting")
        report()  # open, not waiting: not in the view
    html = client.get("/staff/").content.decode()
    assert '<span class="count" data-count="waiting">1</span>' in html
    listed = client.get("/staff/?view=waiting")
    assert queue_ids(listed) == [waiting]
