"""Tags, links, merge and canned replies through the staff pages (and the duplicate's tracking
page), against the real database."""

import pytest
from django.test import Client

from issues_adapters.canned_replies.models import CannedReplyRecord
from issues_adapters.wiring import message_bus
from issues_domain import commands
from issues_domain.values import Actor
from tests.web.support import (
    comment,
    issue_in,
    listed,
    make_user,
    queue_ids,
    report,
    row,
    staff_client,
    token,
)

pytestmark = pytest.mark.django_db


def page(client, issue_id) -> str:
    return client.get(f"/staff/issues/{issue_id}/", follow=True).content.decode()


def post(client, issue_id, what: str, **data):
    return client.post(f"/staff/issues/{issue_id}/{what}/", data, follow=True)


def test_tags_added_on_the_issue_page_show_there_in_the_queue_and_in_the_side_bar(
    django_capture_on_commit_callbacks,
):
    client = staff_client()
    tagged, other = report(), report(description="Something else entirely")
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, tagged, "tags", add="printer, floor-3", expected_version=1)
    html = response.content.decode()
    assert "Tags saved." in html
    assert '<span class="tag">printer</span>' in html and '<span class="tag">floor-3</span>' in html

    queue = client.get("/staff/?tag=printer")
    assert queue_ids(queue) == [tagged]
    assert not listed(queue.content.decode(), other)
    everything = client.get("/staff/").content.decode()
    assert '<span class="count" data-count="tag:printer">1</span>' in everything
    assert 'href="?view=open&amp;tag=printer"' in everything


def test_a_tag_is_removed_from_the_issue_page():
    client = staff_client()
    issue_id = report()
    post(client, issue_id, "tags", add="printer, toner")
    html = post(client, issue_id, "tags", remove="toner").content.decode()
    assert '<span class="tag">printer</span>' in html
    assert '<span class="tag">toner</span>' not in html


@pytest.mark.parametrize(
    ("typed", "words"), [("Paper Jam", "lowercase"), ("a" * 33, "1 to 32 characters")]
)
def test_a_refused_tag_keeps_what_was_typed_and_says_the_rule(typed, words):
    client = staff_client()
    issue_id = report()
    html = post(client, issue_id, "tags", add=typed).content.decode()
    assert f'value="{typed}"' in html
    assert words in html
    assert 'id="tags-errors"' in html
    assert row(issue_id).tags == []


def test_the_bulk_tag_action_tags_every_chosen_issue():
    client = staff_client()
    first, second = report(), report()
    response = client.post(
        "/staff/bulk/",
        {"action": "tag", "tags": "outage", "issues": [str(first), str(second)]},
        follow=True,
    )
    assert response.status_code == 200
    assert row(first).tags == ["outage"] and row(second).tags == ["outage"]


def test_merging_on_the_issue_page_closes_the_duplicate_and_points_everyone_at_the_target():
    client = staff_client()
    target = issue_in("assigned")
    duplicate = report(reporter_email="dup@example.org", reporter_name="Dee Duplicate")
    comment(target, "We are replacing the drum today.")
    comment(target, "Vendor contract number 42.", visibility="internal")
    reference = row(target).reference
    html = post(client, duplicate, "merge", into=reference, expected_version=1).content.decode()
    assert row(duplicate).status == "closed" and row(duplicate).merged_into == target
    assert f'href="/staff/issues/{target}/">{reference}</a>' in html
    target_page = page(client, target)
    assert f"{row(duplicate).reference} was merged into this issue" in target_page
    assert "dup@example.org" in target_page

    # The duplicate's reporter follows the target: their reply there (by mail) is theirs.
    message_bus().handle(
        commands.CommentOnIssue(
            issue_id=target,
            author=Actor.watcher("dup@example.org", "Dee Duplicate"),
            body="Still jammed here.",
            visibility="public",
        )
    )

    tracking = Client().get(f"/track/{token(duplicate)}/").content.decode()
    assert f"Your report continues as {reference}" in tracking
    assert "We are replacing the drum today." in tracking
    assert "Vendor contract number 42." not in tracking
    assert "<strong>Dee Duplicate</strong>" in tracking
    assert "Dee Duplicate (helpdesk)" not in tracking


def test_a_refused_merge_says_why_and_keeps_what_was_typed():
    client = staff_client()
    issue_id = report()
    reference = row(issue_id).reference
    html = post(client, issue_id, "merge", into=reference).content.decode()
    assert "An issue cannot be merged into itself." in html
    assert f'value="{reference}"' in html
    assert row(issue_id).status == "reported"


def test_links_show_on_both_issues_and_come_off_both():
    client = staff_client()
    one, other = report(), report()
    post(client, one, "links", other=row(other).reference)
    assert row(other).reference in page(client, one)
    assert f'href="/staff/issues/{one}/">{row(one).reference}</a>' in page(client, other)
    client.post(f"/staff/issues/{other}/links/{one}/remove/", follow=True)
    assert "No related issues." in page(client, one)
    assert "No related issues." in page(client, other)


def test_canned_replies_are_kept_on_their_page_and_offered_filled_in_on_the_issue_page():
    client = staff_client()
    refused = client.post(
        "/staff/canned-replies/", {"title": "Hello", "body": "Dear {reporter_nmae}"}
    )
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Unknown placeholder {reporter_nmae}" in html
    assert "Dear {reporter_nmae}" in html  # what was typed, kept
    assert CannedReplyRecord.objects.count() == 0

    client.post(
        "/staff/canned-replies/",
        {
            "title": "Hello",
            "body": "Dear {reporter_name}, about {reference} ({subject}): {agent_name}",
        },
    )
    reply = CannedReplyRecord.objects.get()
    issue_id = report(description="Printer on fire\nAnd it smells.")
    issue_page = page(client, issue_id)
    filled = f"Dear Fred Bloggs, about {row(issue_id).reference} (Printer on fire): alice"
    assert f'data-body="{filled}"' in issue_page
    assert 'role="listbox"' in issue_page and 'id="composer-body"' in issue_page

    client.post(f"/staff/canned-replies/{reply.id}/", {"title": "Hi", "body": "Hi {agent_name}"})
    assert CannedReplyRecord.objects.get().title == "Hi"
    client.post(f"/staff/canned-replies/{reply.id}/delete/")
    assert CannedReplyRecord.objects.count() == 0


def test_only_staff_keep_canned_replies():
    assert Client().get("/staff/canned-replies/").status_code == 302
    outsider = Client()
    outsider.force_login(make_user("mallory", staff=False))
    assert outsider.get("/staff/canned-replies/").status_code == 403
    assert outsider.post("/staff/canned-replies/", {"title": "x", "body": "y"}).status_code == 403


def test_a_bulk_tag_with_no_tag_says_so_and_changes_nothing():
    client = staff_client()
    issue_id = report()
    response = client.post(
        "/staff/bulk/", {"action": "tag", "tags": " , ", "issues": [str(issue_id)]}, follow=True
    )
    assert "Type at least one tag to add." in response.content.decode()
    assert row(issue_id).version == 1


def test_the_demo_data_has_canned_replies_once(capsys):
    from django.core.management import call_command

    call_command("seed_demo")
    call_command("seed_demo")
    assert CannedReplyRecord.objects.count() == 2
