"""One issue and its history."""

import uuid

import pytest
from expects import equal, expect, have_keys

from issues_adapters.wiring import message_bus
from issues_domain import commands
from issues_domain.values import Actor
from tests.api.contexts import With_a_reported_issue, issue_url


@pytest.mark.django_db
class When_staff_read_an_issue(With_a_reported_issue):
    def given_it_has_a_comment(self):
        message_bus().handle(
            commands.CommentOnIssue(
                issue_id=self.issue_id,
                author=Actor.staff("alice"),
                body="Looking.",
                visibility="internal",
            )
        )

    def because_alice_gets_it(self):
        self.response = self.client.get(issue_url(self.issue_id))
        self.body = self.response.json()

    def it_should_answer_200(self):
        expect(self.response.status_code).to(equal(200))

    def it_should_tag_it_with_its_version(self):
        expect(self.response["ETag"]).to(equal('"2"'))

    def it_should_give_every_field(self):
        expect(self.body).to(
            have_keys(
                id=str(self.issue_id),
                url=f"http://testserver/api/issues/{self.issue_id}/",
                status="reported",
                category="printing",
                priority="high",
                version=2,
            )
        )
        expect(self.body).to(have_keys("reference", "reported_at", "updated_at", "resolution"))

    def it_should_include_internal_notes_for_staff(self):
        expect([c["body"] for c in self.body["comments"]]).to(equal(["Looking."]))


@pytest.mark.django_db
class When_staff_read_an_issue_that_does_not_exist(With_a_reported_issue):
    def because_alice_gets_unknown_ids(self):
        self.unknown = self.client.get(issue_url(uuid.uuid4()))
        self.malformed = self.client.get(issue_url("HD-1001"))
        self.events = self.client.get(issue_url(uuid.uuid4(), "events"))

    def it_should_answer_404_issue_not_found_in_json(self):
        for response in (self.unknown, self.malformed, self.events):
            expect((response.status_code, response.json()["code"])).to(
                equal((404, "issue_not_found"))
            )


@pytest.mark.django_db
class When_staff_read_an_issues_history(With_a_reported_issue):
    def given_it_was_triaged_and_picked(self):
        bus = message_bus()
        bus.handle(
            commands.TriageIssue(
                issue_id=self.issue_id,
                category="network",
                priority="low",
                actor=Actor.staff("bob"),
            )
        )
        bus.handle(commands.PickIssue(issue_id=self.issue_id, engineer="alice"))

    def because_alice_gets_the_events(self):
        self.response = self.client.get(issue_url(self.issue_id, "events"))
        self.events = self.response.json()

    def it_should_answer_200(self):
        expect(self.response.status_code).to(equal(200))

    def it_should_give_every_event_in_order(self):
        expect([(e["event_type"], e["version"]) for e in self.events]).to(
            equal([("IssueReported", 1), ("IssueTriaged", 2), ("IssuePicked", 3)])
        )

    def it_should_say_who_acted(self):
        expect([(e["actor_role"], e["actor_name"]) for e in self.events]).to(
            equal([("reporter", "Fred Bloggs"), ("staff", "bob"), ("staff", "alice")])
        )

    def it_should_give_each_events_own_data(self):
        expect(self.events[1]["data"]).to(have_keys(category="network", priority="low"))

    def it_should_give_increasing_positions(self):
        positions = [e["position"] for e in self.events]
        expect(positions).to(equal(sorted(positions)))

    def it_should_give_each_events_envelope(self):
        expect([(e["status"], e["schema_version"]) for e in self.events]).to(
            equal([("reported", 3), ("triaged", 2), ("assigned", 1)])
        )
        expect(len({e["causation_id"] for e in self.events})).to(equal(3))  # three commands
