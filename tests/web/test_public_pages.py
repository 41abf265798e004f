"""The public pages: reporting an issue, its confirmation, and the reporter's tracking page."""

import pytest
from django.test import Client

from issues_adapters.persistence.models import CommentRecord, IssueRecord
from tests.web.support import comment, issue_in, report, row, token

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "Fred Bloggs",
    "email": "fred@example.org",
    "subject": "Printer jams",
    "description": "The printer on the second floor jams.",
    "category": "printing",
}


class When_someone_reports_a_problem_through_the_form:
    pytestmark = pytest.mark.django_db

    def given_a_browser(self):
        self.client = Client()

    def because_they_send_the_form(self):
        self.response = self.client.post("/", GOOD, follow=True)
        self.issue = IssueRecord.objects.get()

    def it_should_store_the_issue_with_what_they_typed(self):
        assert (self.issue.reporter_name, self.issue.reporter_email) == (
            "Fred Bloggs",
            "fred@example.org",
        )
        assert self.issue.category_id == "printing"
        assert self.issue.status == "reported"

    def it_should_confirm_with_the_reference(self):
        assert self.response.redirect_chain[-1][0] == "/reported/"
        assert self.issue.reference in self.response.content.decode()

    def it_should_show_the_private_tracking_link(self):
        assert f"/track/{self.issue.tracking_token}/" in self.response.content.decode()


def test_the_report_form_renders_with_the_active_categories():
    response = Client().get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<option value="printing">Printing</option>' in html
    for label in ("Your name", "Your email address", "What is the problem?", "Category"):
        assert label in html


@pytest.mark.parametrize(
    ("change", "field_message"),
    [
        ({"description": ""}, "This field is required."),
        ({"description": "   "}, "This field is required."),
        ({"email": "not-an-email"}, "Enter a valid email address"),
        ({"email": '"x"<a@b.org>'}, "Enter a valid email address"),
        ({"email": "x@evil.org,z"}, "Enter a valid email address"),
        ({"name": ""}, "This field is required."),
        ({"category": "no-such-category"}, "Select a valid choice"),
        ({"description": "x" * 10_001}, "At most 10,000 characters"),
        ({"description": "bell \x07 character"}, "control characters"),
    ],
)
def test_bad_input_is_explained_and_stores_nothing(change, field_message):
    response = Client().post("/", GOOD | change)
    assert response.status_code == 400
    assert field_message in response.content.decode()
    assert "Please correct the fields marked below" in response.content.decode()
    assert IssueRecord.objects.count() == 0


def test_a_50_megabyte_body_is_refused_with_a_readable_form_and_stores_nothing():
    huge = GOOD | {"description": "x" * (50 * 1024 * 1024)}
    response = Client().post("/", huge)
    assert response.status_code == 400
    assert "too large" in response.content.decode()
    assert IssueRecord.objects.count() == 0


def test_a_50_megabyte_body_with_csrf_checks_gets_the_friendly_400_page(settings):
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.get("/")  # sets the CSRF cookie, as a browser would have it
    response = client.post("/", GOOD | {"description": "x" * (50 * 1024 * 1024)})
    assert response.status_code == 400
    assert "We could not accept that" in response.content.decode()
    assert IssueRecord.objects.count() == 0


def test_a_50_megabyte_body_gets_the_friendly_page_in_debug_too(settings):
    settings.DEBUG = True
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.get("/")
    response = client.post("/", GOOD | {"description": "x" * (50 * 1024 * 1024)})
    assert response.status_code == 400
    assert "We could not accept that" in response.content.decode()
    assert IssueRecord.objects.count() == 0


def test_a_50_megabyte_api_report_is_refused_as_too_large():
    body = '{"description": "' + "x" * (50 * 1024 * 1024) + '"}'
    response = Client().post("/api/issues/", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert IssueRecord.objects.count() == 0


def test_the_confirmation_page_without_a_report_goes_back_to_the_form():
    response = Client().get("/reported/")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_what_people_type_is_escaped():
    Client().post("/", GOOD | {"name": "<script>alert(1)</script>"})
    issue = IssueRecord.objects.get()
    html = Client().get(f"/track/{issue.tracking_token}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


class When_the_reporter_opens_the_tracking_page_of_an_issue_with_notes:
    pytestmark = pytest.mark.django_db

    def given_an_issue_with_a_public_reply_and_an_internal_note(self):
        self.issue_id = issue_in("assigned")
        comment(self.issue_id, "We ordered a new drum for it.")
        comment(self.issue_id, "SECRET: vendor is overcharging us", visibility="internal")

    def because_the_reporter_opens_the_link(self):
        self.response = Client().get(f"/track/{token(self.issue_id)}/")
        self.html = self.response.content.decode()

    def it_should_show_the_page(self):
        assert self.response.status_code == 200

    def it_should_show_the_status(self):
        assert "Assigned" in self.html

    def it_should_show_the_public_reply(self):
        assert "We ordered a new drum for it." in self.html

    def it_should_never_show_the_internal_note(self):
        assert "SECRET" not in self.html
        assert "overcharging" not in self.html

    def it_should_offer_a_comment_form_but_no_reopen(self):
        assert 'id="comment-form"' in self.html
        assert 'id="reopen-form"' not in self.html


def test_a_wrong_token_is_a_404_that_reveals_nothing():
    issue_in("assigned")
    response = Client().get("/track/not-the-right-token/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "HD-" not in html and "Fred" not in html


def test_a_wrong_token_cannot_post_a_comment_either():
    response = Client().post("/track/nope/comment/", {"body": "hello"})
    assert response.status_code == 404
    assert CommentRecord.objects.count() == 0


def test_the_reporter_adds_a_public_comment():
    issue_id = report()
    response = Client().post(f"/track/{token(issue_id)}/comment/", {"body": "Still jams."})
    assert response.status_code == 302
    stored = CommentRecord.objects.get(issue_id=issue_id)
    assert (stored.body, stored.visibility, stored.author_role) == (
        "Still jams.",
        "public",
        "reporter",
    )
    assert stored.author_name == "Fred Bloggs"


def test_a_blank_reporter_comment_is_explained():
    issue_id = report()
    response = Client().post(f"/track/{token(issue_id)}/comment/", {"body": "  "})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert CommentRecord.objects.count() == 0


def test_the_reporter_reopens_a_resolved_issue():
    issue_id = issue_in("resolved")
    page = Client().get(f"/track/{token(issue_id)}/").content.decode()
    assert 'id="reopen-form"' in page
    version = row(issue_id).version
    response = Client().post(
        f"/track/{token(issue_id)}/reopen/",
        {"reason": "It jams again.", "expected_version": version},
        follow=True,
    )
    assert row(issue_id).status == "assigned"
    assert "open again" in response.content.decode()


def test_reopening_a_closed_issue_is_refused_with_the_reason():
    issue_id = issue_in("closed")
    response = Client().post(
        f"/track/{token(issue_id)}/reopen/",
        {"reason": "Please!", "expected_version": row(issue_id).version},
    )
    assert response.status_code == 409
    assert "closed" in response.content.decode()
    assert row(issue_id).status == "closed"


def test_commenting_on_a_closed_issue_is_refused_with_the_reason():
    issue_id = issue_in("closed")
    response = Client().post(f"/track/{token(issue_id)}/comment/", {"body": "Hello?"})
    assert response.status_code == 409
    assert "closed" in response.content.decode()
    assert CommentRecord.objects.filter(issue_id=issue_id).count() == 0


def test_a_reopen_against_an_old_version_keeps_the_reason_and_says_why():
    issue_id = issue_in("resolved")
    old = row(issue_id).version
    comment(issue_id, "One more thing")
    response = Client().post(
        f"/track/{token(issue_id)}/reopen/", {"reason": "Jams again.", "expected_version": old}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "changed this issue while you were writing" in html
    assert "Jams again." in html
    assert row(issue_id).status == "resolved"


def test_reporting_more_often_than_the_rate_allows_keeps_the_text_and_says_when_to_retry():
    from tests.api.contexts import rates

    browser = Client(REMOTE_ADDR="192.0.2.40")
    with rates(report="2/minute"):
        accepted = [browser.post("/", GOOD).status_code for _ in range(2)]
        refused = browser.post("/", GOOD | {"description": "The scanner is on fire too."})
        elsewhere = Client(REMOTE_ADDR="192.0.2.41").post("/", GOOD)
    assert accepted == [302, 302]
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    html = refused.content.decode()
    assert "Your report was not sent yet" in html
    assert "The scanner is on fire too." in html
    assert elsewhere.status_code == 302
    assert IssueRecord.objects.count() == 3


def test_the_form_and_the_api_share_one_rate_per_address():
    from rest_framework.test import APIClient

    from tests.api.contexts import rates

    with rates(report="2/minute"):
        by_form = Client(REMOTE_ADDR="192.0.2.42").post("/", GOOD)
        by_api = APIClient(REMOTE_ADDR="192.0.2.42").post(
            "/api/issues/",
            {"reporter_name": "Fred", "reporter_email": "fred@example.org", "description": "x"},
            format="json",
        )
        third = Client(REMOTE_ADDR="192.0.2.42").post("/", GOOD)
    assert (by_form.status_code, by_api.status_code, third.status_code) == (302, 201, 429)


def test_forty_comments_in_one_go_from_a_tracking_page_mail_the_assignee_only_up_to_the_rate(
    django_capture_on_commit_callbacks,
):
    from django.core import mail

    from tests.api.contexts import rates
    from tests.web.support import make_user

    make_user("alice")
    issue_id = issue_in("assigned", assignee="alice")
    other_issue = issue_in("assigned", assignee="alice")
    mail.outbox.clear()
    comment_on = f"/track/{token(issue_id)}/comment/"
    with rates(reporter_comment="5/hour"), django_capture_on_commit_callbacks(execute=True):
        answers = [
            Client().post(comment_on, {"body": f"Jams ({n})."}).status_code for n in range(40)
        ]
        from_elsewhere = Client(REMOTE_ADDR="192.0.2.77").post(comment_on, {"body": "And again."})
        on_another_issue = Client().post(f"/track/{token(other_issue)}/comment/", {"body": "Hi."})

    assert answers == [302] * 5 + [429] * 35
    assert from_elsewhere.status_code == 429  # counted per tracking token, not per address
    assert on_another_issue.status_code == 302
    assert CommentRecord.objects.filter(issue_id=issue_id).count() == 5
    to_alice = [m for m in mail.outbox if "alice@example.org" in m.to[0]]
    # The 5 on this issue were delivered together, so one mail lists them; 1 on the other.
    assert sorted(m.body.count("Jams (") for m in to_alice) == [0, 5], [m.to for m in mail.outbox]


def test_a_comment_past_the_rate_is_kept_on_the_page_with_when_to_send_it():
    from tests.api.contexts import rates

    issue_id = issue_in("assigned")
    comment_on = f"/track/{token(issue_id)}/comment/"
    with rates(reporter_comment="1/hour"):
        Client().post(comment_on, {"body": "First."})
        refused = Client().post(comment_on, {"body": "The scanner is on fire too."})

    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 3600
    html = refused.content.decode()
    assert "This one was not sent yet" in html
    assert "The scanner is on fire too.</textarea>" in html
    assert CommentRecord.objects.filter(body="The scanner is on fire too.").count() == 0
