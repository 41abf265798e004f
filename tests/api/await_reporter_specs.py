"""POST /api/issues/{id}/await-reporter/: the issue waits on its reporter, with the public
question; a reporter's answer returns it; anything but a triaged or assigned issue: 409."""

import pytest
from expects import contain, equal, expect

from issues_adapters.persistence.models import IssueRecord, RecordedEvent
from issues_adapters.wiring import message_bus
from issues_domain import commands
from issues_domain.values import Actor, IssueReporter
from tests.api.contexts import With_a_reported_issue, anonymous, etag, issue_url


class With_an_assigned_issue(With_a_reported_issue):
    def given_bob_has_it(self):
        message_bus().handle(commands.PickIssue(issue_id=self.issue_id, engineer="bob"))


@pytest.mark.django_db
class When_staff_wait_on_the_reporter_over_the_api(With_an_assigned_issue):
    def because_alice_asks_the_reporter(self):
        self.response = self.client.post(
            issue_url(self.issue_id, "await-reporter"),
            {"comment": "Which printer model is it?"},
            format="json",
            HTTP_IF_MATCH=etag(IssueRecord.objects.get(id=self.issue_id).version),
        )

    def it_should_answer_200_with_the_waiting_issue(self):
        expect((self.response.status_code, self.response.json()["status"])).to(
            equal((200, "waiting"))
        )

    def it_should_show_the_question_as_a_public_comment(self):
        bodies = [(c["body"], c["visibility"]) for c in self.response.json()["comments"]]
        expect(bodies).to(contain(("Which printer model is it?", "public")))

    def it_should_record_issue_awaiting_reporter_with_status_waiting(self):
        last = RecordedEvent.objects.filter(issue_id=self.issue_id).last()
        expect((last.event_type, last.status)).to(equal(("IssueAwaitingReporter", "waiting")))

    def it_should_list_the_event_with_its_data(self):
        listed = self.client.get(issue_url(self.issue_id, "events")).json()
        expect(listed[-1]["event_type"]).to(equal("IssueAwaitingReporter"))


@pytest.mark.django_db
class When_the_reporter_answers_a_waiting_issue(With_an_assigned_issue):
    def given_alice_waits(self):
        self.client.post(
            issue_url(self.issue_id, "await-reporter"), {"comment": "Which?"}, format="json"
        )

    def because_the_reporter_answers(self):
        reporter = Actor.reporter(IssueReporter("Fred Bloggs", "fred@example.org"))
        message_bus().handle(
            commands.CommentOnIssue(issue_id=self.issue_id, author=reporter, body="An HP 4.")
        )
        self.issue = self.client.get(issue_url(self.issue_id)).json()
        self.events = self.client.get(issue_url(self.issue_id, "events")).json()

    def it_should_be_assigned_again(self):
        expect(self.issue["status"]).to(equal("assigned"))

    def it_should_list_reporter_answered_with_the_status_returned_to(self):
        last = self.events[-1]
        expect((last["event_type"], last["status"], last["data"]["returned_to"])).to(
            equal(("ReporterAnswered", "assigned", "assigned"))
        )


@pytest.mark.django_db
class When_staff_wait_on_a_reported_issue(With_a_reported_issue):
    def because_alice_asks_before_triage(self):
        self.response = self.client.post(
            issue_url(self.issue_id, "await-reporter"), {"comment": "Which?"}, format="json"
        )

    def it_should_answer_409_with_the_code(self):
        expect((self.response.status_code, self.response.json()["code"])).to(
            equal((409, "issue_cannot_await_reporter"))
        )

    def it_should_change_nothing(self):
        expect(IssueRecord.objects.get(id=self.issue_id).status).to(equal("reported"))


@pytest.mark.django_db
class When_staff_wait_without_a_comment(With_an_assigned_issue):
    def because_alice_sends_nothing(self):
        self.response = self.client.post(
            issue_url(self.issue_id, "await-reporter"), {}, format="json"
        )

    def it_should_answer_400_on_the_comment(self):
        expect((self.response.status_code, list(self.response.json()))).to(
            equal((400, ["comment"]))
        )


@pytest.mark.django_db
class When_somebody_anonymous_tries_to_wait(With_an_assigned_issue):
    def because_they_post(self):
        self.response = anonymous().post(
            issue_url(self.issue_id, "await-reporter"), {"comment": "Hi"}, format="json"
        )

    def it_should_be_refused(self):
        expect(self.response.status_code).to(equal(401))
