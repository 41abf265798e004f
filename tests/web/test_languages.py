"""The reporter's language goes with the issue (their mail and tracking page speak it); staff
choose theirs; the domain's messages reach people translated."""

import json
from email.message import EmailMessage

import pytest
from django.core import mail
from django.test import Client, TestCase

from issues_adapters.eventing.inbound import Raw, take_in
from issues_adapters.persistence.models import IssueRecord
from issues_adapters.wiring import message_bus
from issues_domain import commands
from issues_domain.values import Actor
from tests.web.support import issue_in, make_user, report, row, staff_client, token

pytestmark = pytest.mark.django_db

# Mail goes out after commit; each test's transaction is rolled back, so commit callbacks run here.
delivered = TestCase.captureOnCommitCallbacks

GERMAN_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "de-DE,de;q=0.9,en;q=0.5"}
ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
FORM = {
    "name": "Jana Beispiel",
    "email": "jana@example.org",
    "subject": "Drucker",
    "description": "Drucker klemmt.",
}


class When_a_german_browser_reports_through_the_form:
    pytestmark = pytest.mark.django_db

    def given_a_german_browser(self):
        self.client = Client(**GERMAN_BROWSER)
        mail.outbox.clear()

    def because_they_send_the_form(self):
        self.form = self.client.get("/").content.decode()
        with delivered(execute=True):
            self.confirmation = self.client.post("/", FORM, follow=True).content.decode()
        self.sent = list(mail.outbox)  # pytest-django empties the outbox before each assertion
        self.issue = IssueRecord.objects.get()

    def it_should_show_the_form_in_german(self):
        assert "Problem melden" in self.form and "Ihr Name" in self.form
        assert '<html lang="de">' in self.form

    def it_should_keep_german_with_the_issue(self):
        assert self.issue.language == "de"

    def it_should_confirm_in_german(self):
        assert "Vielen Dank: wir haben Ihre Meldung" in self.confirmation

    def it_should_mail_the_confirmation_in_german(self):
        (confirmation,) = self.sent
        assert confirmation.subject == (
            f"[{self.issue.reference}] Drucker - Wir haben Ihre Meldung erhalten"
        )
        assert "Guten Tag Jana Beispiel," in confirmation.body
        html = confirmation.alternatives[0][0]
        assert '<html lang="de">' in html and "Ihrer privaten Seite" in html


def test_the_tracking_page_speaks_the_reporters_language_whatever_the_browser():
    issue_id = issue_in("resolved", language="de")
    response = Client(**ENGLISH_BROWSER).get(f"/track/{token(issue_id)}/")
    html = response.content.decode()
    assert response["Content-Language"] == "de"
    assert "Gelöst" in html and "Anliegen wieder öffnen" in html
    assert "Reopen the issue" not in html


def test_an_english_reporters_page_stays_english_in_a_german_browser():
    issue_id = issue_in("resolved", language="en-gb")
    html = Client(**GERMAN_BROWSER).get(f"/track/{token(issue_id)}/").content.decode()
    assert "Reopen the issue" in html and "Resolved" in html


def test_every_later_mail_to_the_reporter_speaks_their_language():
    issue_id = issue_in("assigned", language="de")
    mail.outbox.clear()
    staff = Actor.staff("alice")
    bus = message_bus()
    with delivered(execute=True):
        bus.handle(
            commands.CommentOnIssue(issue_id=issue_id, author=staff, body="Ist es jetzt besser?")
        )
    with delivered(execute=True):
        bus.handle(commands.MarkIssueAsResolved(issue_id=issue_id, resolution="Neu.", actor=staff))
    reference = row(issue_id).reference
    subject = row(issue_id).subject
    assert [m.subject for m in mail.outbox] == [
        f"[{reference}] {subject} - Neue Antwort vom Helpdesk",
        f"[{reference}] {subject} - Ihr Anliegen wurde gelöst",
    ]
    assert "Doch nicht behoben?" in mail.outbox[1].body


def test_an_issue_reported_before_languages_were_kept_mails_in_english():
    issue_id = report()
    IssueRecord.objects.filter(id=issue_id).update(language="en")
    mail.outbox.clear()
    with delivered(execute=True):
        message_bus().handle(
            commands.MarkIssueAsResolved(
                issue_id=issue_id, resolution="Done.", actor=Actor.staff("alice")
            )
        )
    assert mail.outbox[-1].subject.endswith("Your issue has been resolved")


def test_the_api_takes_the_language_given_or_else_the_accept_language():
    client = Client()
    body = {"reporter_name": "Jana", "reporter_email": "jana@example.org", "description": "Aus."}
    given = client.post(
        "/api/issues/", json.dumps(body | {"language": "de-CH"}), "application/json"
    )
    from_header = client.post(
        "/api/issues/", json.dumps(body), "application/json", **GERMAN_BROWSER
    )
    neither = client.post("/api/issues/", json.dumps(body), "application/json")
    assert [r.status_code for r in (given, from_header, neither)] == [201, 201, 201]
    assert [r.json()["language"] for r in (given, from_header, neither)] == ["de", "de", "en-gb"]


def test_the_api_refuses_a_language_it_does_not_speak():
    body = {"reporter_name": "J", "reporter_email": "j@example.org", "description": "x"}
    response = Client().post(
        "/api/issues/", json.dumps(body | {"language": "tlh"}), "application/json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["language"]
    assert not IssueRecord.objects.exists()


def test_an_inbound_mail_reports_in_its_content_language():
    message = EmailMessage()
    message["From"] = "Jana <jana@example.org>"
    message["To"] = "helpdesk@localhost"
    message["Subject"] = "Drucker"
    message["Message-ID"] = "<drucker-1@example.org>"
    message.set_content("Der Drucker druckt nicht.")
    message["Content-Language"] = "de-AT"  # after set_content, which clears Content-* headers
    mail.outbox.clear()
    with delivered(execute=True):
        take_in(message_bus(), Raw("test#de", message.as_bytes()))
    assert IssueRecord.objects.get().language == "de"
    assert mail.outbox[-1].subject.endswith("Wir haben Ihre Meldung erhalten")


class When_a_staff_member_chooses_german:
    pytestmark = pytest.mark.django_db

    def given_alice_signed_in_with_an_english_browser(self):
        self.client = staff_client("alice")
        self.client.defaults.update(ENGLISH_BROWSER)
        self.before = self.client.get("/staff/settings/").content.decode()

    def because_she_chooses_german(self):
        self.saved = self.client.post("/staff/settings/language/", {"language": "de"}, follow=True)
        self.queue = self.client.get("/staff/").content.decode()

    def it_should_offer_each_language_by_its_own_name(self):
        assert '<option value="de">Deutsch</option>' in self.before
        assert "English" in self.before

    def it_should_say_it_saved_in_german(self):
        assert "Gespeichert" in self.saved.content.decode()

    def it_should_show_the_staff_pages_in_german(self):
        assert "Warteschlange" in self.queue and "Alle offenen" in self.queue

    def it_should_keep_it_for_her_next_login(self):
        client = Client(**ENGLISH_BROWSER)
        client.login(username="alice", password="pw")
        assert "Warteschlange" in client.get("/staff/").content.decode()

    def it_should_mail_her_in_german(self):
        mail.outbox.clear()
        issue_id = report(language="en-gb")
        make_user("bob")
        with delivered(execute=True):
            message_bus().handle(
                commands.AssignIssue(issue_id=issue_id, assignee="alice", actor=Actor.staff("bob"))
            )
        (assignment,) = [m for m in mail.outbox if "alice@example.org" in m.to[0]]
        assert "Ihnen zugewiesen von bob" in assignment.subject


def test_the_language_page_is_for_staff_only():
    response = Client().get("/staff/settings/language/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_language_nobody_offers_is_refused():
    client = staff_client()
    response = client.post("/staff/settings/language/", {"language": "tlh"})
    assert response.status_code == 400


def test_a_refusal_from_the_domain_reaches_a_german_reader_in_german():
    issue_id = issue_in("assigned", language="de")
    client = Client(**GERMAN_BROWSER)
    version = row(issue_id).version
    response = client.post(
        f"/track/{token(issue_id)}/reopen/", {"reason": "Nein.", "expected_version": version}
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "Nur ein gelöstes Anliegen kann wieder geöffnet oder geschlossen werden." in html


def test_numbers_in_a_domain_message_are_written_the_german_way():
    from django.utils import translation

    from issues_adapters.texts import translated
    from issues_domain.errors import InvalidInput
    from issues_domain.values import clean_text

    try:
        clean_text("x" * 10_001, "description", max_length=10_000)
    except InvalidInput as error:
        (message,) = error.errors["description"]
    assert message == "At most 10,000 characters, please (10,001)."
    with translation.override("de"):
        assert translated(message) == "Bitte höchstens 10.000 Zeichen (10.001)."


def test_the_language_is_chosen_on_the_settings_page():
    client = staff_client("alice")
    page = client.get("/staff/settings/").content.decode()
    form = page[page.rindex("<form", 0, page.index('id="language-form"')) :]
    form = form[: form.index("</form>")]
    assert 'action="/staff/settings/language/"' in form and 'name="language"' in form
    moved = client.get("/staff/settings/language/")
    assert moved.status_code == 302 and moved["Location"] == "/staff/settings/#language-form"
