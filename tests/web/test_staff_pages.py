"""The staff pages: login, the queue, the issue page and each of its forms, bulk actions."""

import html
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client

from issues_adapters.persistence.models import CommentRecord, RecordedEvent
from issues_domain.lifecycle import NOT_OFFERED_TO_STAFF, allowed_actions
from tests.web.support import (
    comment,
    issue_in,
    listed,
    make_user,
    next_page,
    queue_ids,
    report,
    row,
    staff_client,
)

pytestmark = pytest.mark.django_db


def issue_url(issue_id, action=""):
    return f"/staff/issues/{issue_id}/" + (f"{action}/" if action else "")


# -- who may see the staff pages --------------------------------------------------------------


@pytest.mark.parametrize("path", ["/staff/", "/staff/issues/{id}/", "/staff/issues/{id}/version/"])
def test_anonymous_visitors_are_sent_to_the_login_page(path):
    issue_id = report()
    response = Client().get(path.format(id=issue_id))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/staff/")


def test_anonymous_posts_change_nothing_and_go_to_login():
    issue_id = report()
    response = Client().post(issue_url(issue_id, "pick"), {"expected_version": 1})
    assert response.status_code == 302
    assert row(issue_id).assignee is None


@pytest.mark.parametrize("path", ["/staff/", "/staff/issues/{id}/"])
def test_signed_in_people_who_are_not_staff_get_403(path):
    issue_id = report()
    client = Client()
    client.force_login(make_user("mallory", staff=False))
    response = client.get(path.format(id=issue_id))
    assert response.status_code == 403
    assert "You cannot see this page" in response.content.decode()


def test_non_staff_cannot_post_a_command():
    issue_id = report()
    client = Client()
    client.force_login(make_user("mallory", staff=False))
    response = client.post(issue_url(issue_id, "pick"), {"expected_version": 1})
    assert response.status_code == 403
    assert row(issue_id).assignee is None


def test_the_login_page_renders_and_logs_staff_in():
    make_user("alice")
    client = Client()
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert 'for="id_username"' in page.content.decode()
    response = client.post("/accounts/login/", {"username": "alice", "password": "pw"})
    assert response.status_code == 302
    assert response["Location"] == "/staff/"


def test_a_wrong_password_is_explained():
    make_user("alice")
    response = Client().post("/accounts/login/", {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert "didn't match" in response.content.decode()


# -- the queue --------------------------------------------------------------------------------


def test_the_queue_lists_open_issues_newest_first():
    older = report(description="Older problem")
    newer = report(description="Newer problem")
    html = staff_client().get("/staff/").content.decode()
    assert html.index(row(newer).reference) < html.index(row(older).reference)


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("?view=unassigned", "reported", "assigned"),
        ("?view=mine", "assigned", "reported"),
        ("?view=resolved", "resolved", "assigned"),
        ("?view=closed", "closed", "resolved"),
        ("?view=all&status=triaged", "triaged", "reported"),
        ("?view=all&assignee=none", "reported", "assigned"),
        ("?view=all&priority=high", "triaged", "reported"),
        ("?view=all&category=printing", "triaged", "reported"),
    ],
)
def test_the_queue_filters(query, shown, hidden):
    staff_client()  # alice exists, so issues can be hers
    ids = {status: issue_in(status) for status in ("reported", "assigned", "resolved", "closed")}
    ids["triaged"] = issue_in("triaged")
    html = staff_client().get("/staff/" + query).content.decode()
    assert listed(html, ids[shown])
    assert not listed(html, ids[hidden])


def test_the_queue_searches_reference_email_and_text():
    issue_id = report(reporter_email="zoe@example.net", description="Coffee machine leaks")
    other = report()
    client = staff_client()
    for q in (row(issue_id).reference, "zoe@example", "coffee machine"):
        html = client.get("/staff/", {"q": q}).content.decode()
        assert listed(html, issue_id), q
        assert not listed(html, other), q


def test_the_queue_finds_an_issue_by_its_number_with_or_without_the_prefix():
    issue_id = report(description="Coffee machine leaks")
    other = report()
    reference = row(issue_id).reference
    number = reference.removeprefix("HD-")
    client = staff_client()
    for q in (number, reference.lower(), f"hd{number}"):
        html = client.get("/staff/", {"q": q}).content.decode()
        assert reference in html, q
        assert not listed(html, other), q


def test_the_queue_pages_with_a_cursor():
    ids = [report(description=f"Problem {n}") for n in range(30)]
    client = staff_client()
    first = client.get("/staff/")
    assert len(queue_ids(first)) == 25 and next_page(first)
    second = client.get("/staff/" + next_page(first))
    assert len(queue_ids(second)) == 5 and not next_page(second)
    assert set(queue_ids(first)) | set(queue_ids(second)) == set(ids)


def test_a_broken_cursor_says_so_and_starts_again():
    response = staff_client().get("/staff/?cursor=garbage", follow=True)
    assert response.status_code == 200
    assert "not valid" in response.content.decode()


def test_sort_links_keep_the_filters_in_the_url():
    staff_client()
    issue_in("resolved")
    html = staff_client().get("/staff/?view=resolved&q=jam").content.decode()
    assert "?view=resolved&amp;q=jam&amp;sort=reference" in html


def _references(response) -> list[str]:
    return [row(issue_id).reference for issue_id in queue_ids(response)]


def _sort_of(link: str) -> str:
    return parse_qs(urlparse(link).query).get("sort", [""])[0]  # none: the default order


def _sort_link(response, column: str) -> str:
    """The link in the column's heading, as a browser follows it."""
    found = re.search(
        rf'<th scope="col" class="c-{column}"[^>]*><a href="([^"]+)"', response.content.decode()
    )
    return html.unescape(found.group(1))


@pytest.mark.parametrize("column", ["priority", "reference", "reported", "updated"])
def test_clicking_a_column_header_again_reverses_the_order(column):
    staff_client()
    for status in ("reported", "triaged", "assigned"):
        issue_in(status)
    report(priority="low")
    client = staff_client()
    first_link = _sort_link(client.get("/staff/"), column)
    first = client.get("/staff/" + first_link)
    again_link = _sort_link(first, column)
    again = client.get("/staff/" + again_link)
    assert _sort_of(first_link) != _sort_of(again_link)
    assert _references(again) == list(reversed(_references(first)))
    third = client.get("/staff/" + _sort_link(again, column))
    assert _references(third) == _references(first)


# -- the issue page ---------------------------------------------------------------------------


class When_staff_open_a_reported_issue:
    pytestmark = pytest.mark.django_db

    def given_a_reported_issue_with_both_kinds_of_comment(self):
        self.client = staff_client()
        make_user("bob")
        self.issue_id = report()
        comment(self.issue_id, "We are looking into it.")
        comment(self.issue_id, "Probably the fuser again.", visibility="internal")

    def because_they_open_it(self):
        self.response = self.client.get(issue_url(self.issue_id))
        self.html = self.response.content.decode()

    def it_should_render(self):
        assert self.response.status_code == 200

    def it_should_show_the_reporter_and_status_at_the_top(self):
        assert "Fred Bloggs" in self.html and "fred@example.org" in self.html
        assert 'id="status">Reported' in self.html

    def it_should_offer_triage_assign_pick_comment_and_resolve(self):
        assert offered(self.html) == {"triage", "assign", "pick", "comment", "resolve", *ORGANISE}

    def it_should_not_offer_reopen_or_close(self):
        assert 'id="reopen-form"' not in self.html
        assert 'id="close-form"' not in self.html

    def it_should_post_the_version_it_shows(self):
        assert 'name="expected_version" value="3"' in self.html

    def it_should_offer_active_staff_as_assignees(self):
        assert '<option value="bob"' in self.html

    def it_should_tell_public_replies_from_internal_notes(self):
        assert "Public reply" in self.html
        assert "Internal note (staff only)" in self.html
        assert 'class="internal event-IssueCommented"' in self.html

    def it_should_show_the_history(self):
        assert "Reported" in self.html
        assert self.html.count("event-IssueCommented") == 2


# What the page offers: side-panel forms, the composer and its buttons, by their ids.
OFFERS = {
    "triage": 'id="triage-form"',
    "assign": 'id="assign-form"',
    "pick": 'id="pick-form"',
    "reopen": 'id="reopen-form"',
    "close": 'id="close-form"',
    "comment": 'id="composer-form"',
    "await_reporter": 'id="send-and-wait-button"',
    "resolve": 'id="send-and-resolve-button"',
    "tag": 'id="tags-form"',
    "merge": 'id="merge-form"',
    "link": 'id="link-form"',
    "watch": 'id="add-watcher-form"',
}
ORGANISE = {"tag", "merge", "link", "watch"}


def offered(html: str) -> set[str]:
    return {action for action, marker in OFFERS.items() if marker in html}


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (
            "triaged",
            {"triage", "assign", "pick", "comment", "resolve", "await_reporter", *ORGANISE},
        ),
        ("assigned", {"triage", "assign", "comment", "resolve", "await_reporter", *ORGANISE}),
        ("waiting", {"triage", "assign", "comment", "resolve", *ORGANISE}),
        ("resolved", {"comment", "reopen", "close", *ORGANISE}),
        ("closed", {"link"}),
    ],
)
def test_the_issue_page_offers_only_the_commands_allowed_now(status, expected):
    client = staff_client()
    issue_id = issue_in(status)
    html = client.get(issue_url(issue_id)).content.decode()
    assert offered(html) == expected
    row_ = row(issue_id)
    # Every allowed action staff may take is offered (not the SLA flags, not the rating).
    assert offered(html) == set(allowed_actions(row_.status, row_.assignee)) - NOT_OFFERED_TO_STAFF


def test_an_unknown_issue_is_404():
    response = staff_client().get("/staff/issues/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404


# -- every form posts its command -------------------------------------------------------------


def post(client, issue_id, action, **data):
    data.setdefault("expected_version", row(issue_id).version)
    return client.post(issue_url(issue_id, action), data, follow=True)


def test_triage_posts_triage_issue():
    client, issue_id = staff_client(), report()
    response = post(client, issue_id, "triage", category="network", priority="urgent")
    assert response.redirect_chain[-1][0] == issue_url(issue_id)
    assert "Triaged." in response.content.decode()
    stored = row(issue_id)
    assert (stored.status, stored.category_id, stored.priority) == ("triaged", "network", "urgent")


def test_assign_posts_assign_issue():
    client, issue_id = staff_client(), report()
    make_user("bob")
    post(client, issue_id, "assign", assignee="bob")
    assert (row(issue_id).status, row(issue_id).assignee) == ("assigned", "bob")
    event = RecordedEvent.objects.filter(issue_id=issue_id).last()
    assert (event.event_type, event.actor_name) == ("IssueAssigned", "alice")


def test_pick_posts_pick_issue_for_the_signed_in_user():
    client, issue_id = staff_client("carol"), report()
    post(client, issue_id, "pick")
    assert row(issue_id).assignee == "carol"


@pytest.mark.parametrize("visibility", ["public", "internal"])
def test_comment_posts_comment_on_issue(visibility):
    client, issue_id = staff_client(), report()
    post(client, issue_id, "comment", body="Checked the cable.", visibility=visibility)
    stored = CommentRecord.objects.get(issue_id=issue_id)
    assert (stored.body, stored.visibility, stored.author_name) == (
        "Checked the cable.",
        visibility,
        "alice",
    )


def test_resolve_posts_mark_issue_as_resolved():
    client, issue_id = staff_client(), report()
    post(client, issue_id, "resolve", resolution="Replaced the toner.")
    assert (row(issue_id).status, row(issue_id).resolution) == ("resolved", "Replaced the toner.")


def test_reopen_posts_reopen_issue():
    client = staff_client()
    issue_id = issue_in("resolved")
    post(client, issue_id, "reopen", reason="Jams again.")
    assert row(issue_id).status == "assigned"


def test_close_posts_close_issue():
    client = staff_client()
    issue_id = issue_in("resolved")
    post(client, issue_id, "close")
    assert row(issue_id).status == "closed"


# -- refusals are shown and change nothing ----------------------------------------------------


def refused(client, response):
    """A refused form redirects to the issue page (so a reload cannot send it again); that
    page shows the form as it was sent, and why it was refused."""
    assert response.status_code == 302, response.status_code
    assert "?kept=" in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page


@pytest.mark.parametrize(
    ("status", "action", "data", "explanation"),
    [
        ("resolved", "resolve", {"resolution": "again"}, "already resolved"),
        ("closed", "comment", {"body": "hi", "visibility": "public"}, "closed"),
        ("assigned", "pick", {}, "already assigned"),
        ("assigned", "close", {}, "Only a resolved issue"),
        ("triaged", "reopen", {"reason": "why"}, "Only a resolved issue"),
        ("closed", "reopen", {"reason": "why"}, "closed"),
        ("resolved", "triage", {"category": "printing", "priority": "low"}, "already resolved"),
    ],
)
def test_a_refused_command_is_explained_and_changes_nothing(status, action, data, explanation):
    client = staff_client()
    issue_id = issue_in(status)
    before = (row(issue_id).version, RecordedEvent.objects.count())
    response = client.post(
        issue_url(issue_id, action), {"expected_version": row(issue_id).version, **data}
    )
    html = refused(client, response).content.decode()
    assert 'id="refusal"' in html
    assert explanation in html
    assert (row(issue_id).version, RecordedEvent.objects.count()) == before


def test_an_assignee_who_is_not_active_staff_is_explained_at_the_field():
    client, issue_id = staff_client(), report()
    # Offered on the page when it was rendered, then no longer staff:
    bob = make_user("bob")
    data = {"assignee": "bob", "expected_version": row(issue_id).version}
    bob.is_staff = False
    bob.save()
    response = client.post(issue_url(issue_id, "assign"), data)
    assert "Select a valid choice" in refused(client, response).content.decode()
    assert row(issue_id).assignee is None


def test_a_blank_comment_is_explained_and_stores_nothing():
    client, issue_id = staff_client(), report()
    response = client.post(
        issue_url(issue_id, "comment"),
        {"body": "   ", "visibility": "public", "expected_version": row(issue_id).version},
    )
    assert "This field is required." in refused(client, response).content.decode()
    assert CommentRecord.objects.count() == 0


def test_a_missing_version_is_a_form_error_not_a_crash():
    client, issue_id = staff_client(), report()
    response = client.post(issue_url(issue_id, "pick"), {})
    assert "This form arrived incomplete" in refused(client, response).content.decode()
    assert row(issue_id).assignee is None


def test_an_unknown_action_is_404():
    client, issue_id = staff_client(), report()
    assert client.post(issue_url(issue_id, "explode"), {}).status_code == 404


class When_staff_post_a_comment_against_an_old_version:
    pytestmark = pytest.mark.django_db

    def given_bob_changed_the_issue_after_alice_opened_it(self):
        self.client = staff_client("alice")
        make_user("bob")
        self.issue_id = report()
        self.seen = row(self.issue_id).version
        comment(self.issue_id, "Bob was quicker.", author="bob")

    def because_alice_sends_her_reply(self):
        self.response = self.client.post(
            issue_url(self.issue_id, "comment"),
            {"body": "My careful reply", "visibility": "internal", "expected_version": self.seen},
        )
        self.html = refused(self.client, self.response).content.decode()

    def it_should_send_her_back_to_the_issue_page(self):
        assert self.response["Location"].startswith(issue_url(self.issue_id) + "?kept=")

    def it_should_keep_her_text_when_she_reloads_the_page(self):
        again = self.client.get(self.response["Location"]).content.decode()
        assert "My careful reply" in again
        assert "bob changed this issue" in again

    def it_should_show_fresh_forms_on_the_plain_issue_page(self):
        plain = self.client.get(issue_url(self.issue_id)).content.decode()
        assert "My careful reply" not in plain
        assert "bob changed this issue" not in plain

    def it_should_not_show_her_text_to_someone_else(self):
        other = staff_client("bob").get(self.response["Location"]).content.decode()
        assert "My careful reply" not in other

    def it_should_say_who_changed_it(self):
        assert "bob changed this issue while you were working on it" in self.html

    def it_should_keep_what_she_typed(self):
        assert "My careful reply" in self.html
        assert 'value="internal" id="id_visibility_1" checked' in self.html or (
            'value="internal"' in self.html and "checked" in self.html
        )

    def it_should_store_nothing(self):
        assert list(
            CommentRecord.objects.filter(issue_id=self.issue_id).values_list("body", flat=True)
        ) == ["Bob was quicker."]

    def it_should_let_her_send_it_again_against_the_current_version(self):
        current = row(self.issue_id).version
        assert f'name="expected_version" value="{current}"' in self.html


def test_the_version_endpoint_tells_the_version_and_who_changed_it():
    client = staff_client()
    issue_id = report()
    comment(issue_id, "hello", author="bob")
    response = client.get(issue_url(issue_id, "version"))
    assert response.status_code == 200
    assert response.json()["version"] == row(issue_id).version
    assert response.json()["changed_by"] == "bob"
    assert response["Cache-Control"] == "no-store"


# -- bulk actions -----------------------------------------------------------------------------


def bulk(client, ids, **data):
    payload = {"issues": [str(i) for i in ids], "next": "/staff/?view=all", **data}
    for issue_id in ids:
        payload[f"version:{issue_id}"] = row(issue_id).version
        payload[f"reference:{issue_id}"] = row(issue_id).reference
    return client.post("/staff/bulk/", payload, follow=True)


def test_bulk_assign_assigns_each_and_sums_up_in_one_banner():
    client = staff_client()
    make_user("bob")
    ids = [report(), report(), issue_in("resolved")]
    response = bulk(client, ids, action="assign", assignee="bob", confirmed="on")
    assert response.redirect_chain[-1][0] == "/staff/?view=all"
    html = response.content.decode()
    assert [row(i).assignee for i in ids[:2]] == ["bob", "bob"]
    assert (
        f"2 assigned, 1 not changed: {row(ids[2]).reference} "
        "(This issue is already resolved.)." in html
    )
    assert html.count('<li class="message ') == 1
    assert row(ids[2]).assignee == "alice"


def test_bulk_triage_and_resolve():
    client = staff_client()
    ids = [report(), report()]
    bulk(client, ids, action="triage", category="network", priority="low")
    assert {row(i).status for i in ids} == {"triaged"}
    bulk(client, ids, action="resolve", resolution="Fixed the switch.", confirmed="on")
    assert {row(i).status for i in ids} == {"resolved"}


def test_bulk_resolve_without_a_resolution_explains_once_before_changing_any():
    client = staff_client()
    issue_id = report()
    html = bulk(
        client, [issue_id], action="resolve", resolution="", confirmed="on"
    ).content.decode()
    assert "required" in html and "not changed" not in html
    assert row(issue_id).status == "reported"


def test_bulk_without_a_selection_says_so():
    response = staff_client().post(
        "/staff/bulk/", {"action": "assign", "assignee": "alice"}, follow=True
    )
    assert "Choose at least one issue" in response.content.decode()


def test_bulk_never_redirects_off_site():
    client = staff_client()
    issue_id = report()
    response = client.post(
        "/staff/bulk/",
        {
            "issues": [str(issue_id)],
            "action": "assign",
            "assignee": "alice",
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == "/staff/"
