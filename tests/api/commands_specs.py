"""Every staff command over HTTP: what it answers, what it changes, and each refusal."""

import uuid

import pytest
from expects import be_empty, equal, expect, have_keys, have_len

from issues_adapters.persistence.models import IssueRecord, RecordedEvent
from issues_adapters.wiring import message_bus
from issues_domain import commands
from issues_domain.values import Actor
from tests.api.contexts import (
    With_a_reported_issue,
    With_a_resolved_issue,
    etag,
    issue_url,
)


class With_a_command_answer:
    """`because_` sets self.response; these facts hold for every accepted command."""

    success = 200

    def it_should_answer_with_the_success_status(self):
        expect(self.response.status_code).to(equal(self.success))

    def it_should_tag_the_answer_with_the_new_version(self):
        expect(self.response["ETag"]).to(equal(etag(self.response.json()["version"])))


@pytest.mark.django_db
class When_staff_triage_an_issue(With_a_command_answer, With_a_reported_issue):
    def because_alice_triages_it(self):
        self.response = self.client.post(
            issue_url(self.issue_id, "triage"),
            {"category": "network", "priority": "urgent"},
            format="json",
        )

    def it_should_give_the_triaged_issue(self):
        expect(self.response.json()).to(
            have_keys(status="triaged", category="network", priority="urgent", version=2)
        )

    def it_should_record_the_event_as_alices(self):
        event = RecordedEvent.objects.filter(issue_id=self.issue_id).last()
        expect((event.event_type, event.actor_name)).to(equal(("IssueTriaged", "alice")))


@pytest.mark.django_db
class When_staff_assign_an_issue(With_a_command_answer, With_a_reported_issue):
    def because_alice_assigns_it_to_bob(self):
        self.response = self.client.post(
            issue_url(self.issue_id, "assign"), {"assignee": "bob"}, format="json"
        )

    def it_should_give_the_assigned_issue(self):
        expect(self.response.json()).to(have_keys(status="assigned", assignee="bob"))


@pytest.mark.django_db
class When_staff_assign_an_issue_to_somebody_who_is_not_staff(With_a_reported_issue):
    def because_alice_assigns_it_to_a_stranger(self):
        self.response = self.client.post(
            issue_url(self.issue_id, "assign"), {"assignee": "mallory"}, format="json"
        )

    def it_should_answer_400_on_the_assignee(self):
        expect((self.response.status_code, self.response.json())).to(
            equal((400, {"assignee": ["'mallory' is not an active staff member."]}))
        )

    def it_should_leave_the_issue_alone(self):
        expect(IssueRecord.objects.get(id=self.issue_id).version).to(equal(1))


@pytest.mark.django_db
class When_staff_pick_an_issue(With_a_command_answer, With_a_reported_issue):
    def because_alice_picks_it(self):
        self.response = self.client.post(issue_url(self.issue_id, "pick"))

    def it_should_be_assigned_to_the_caller(self):
        expect(self.response.json()).to(have_keys(status="assigned", assignee="alice"))


@pytest.mark.django_db
class When_staff_pick_an_issue_somebody_already_has(With_a_reported_issue):
    def given_bob_has_it(self):
        message_bus().handle(
            commands.AssignIssue(issue_id=self.issue_id, assignee="bob", actor=Actor.staff("bob"))
        )

    def because_alice_tries_to_pick_it(self):
        self.response = self.client.post(issue_url(self.issue_id, "pick"), format="json")

    def it_should_answer_409_with_the_domains_code_and_message(self):
        expect((self.response.status_code, self.response.json())).to(
            equal(
                (
                    409,
                    {
                        "code": "issue_already_assigned",
                        "detail": "Somebody is already assigned to this issue; "
                        "it cannot be picked.",
                    },
                )
            )
        )


@pytest.mark.django_db
class When_staff_comment_on_an_issue(With_a_command_answer, With_a_reported_issue):
    success = 201

    def because_alice_adds_an_internal_note(self):
        self.response = self.client.post(
            issue_url(self.issue_id, "comments"),
            {"body": "Probably the fuser.", "visibility": "internal"},
            format="json",
        )

    def it_should_give_the_issue_with_the_note(self):
        comments = self.response.json()["comments"]
        expect(comments).to(have_len(1))
        expect(comments[0]).to(
            have_keys(
                author_name="alice",
                author_role="staff",
                body="Probably the fuser.",
                visibility="internal",
            )
        )


@pytest.mark.django_db
class When_staff_comment_without_saying_who_may_see_it(With_a_reported_issue):
    def because_alice_comments(self):
        self.response = self.client.post(
            issue_url(self.issue_id, "comments"), {"body": "On my way."}, format="json"
        )

    def it_should_be_public(self):
        expect(self.response.json()["comments"][0]["visibility"]).to(equal("public"))


@pytest.mark.django_db
class When_staff_comment_with_an_empty_body_and_an_odd_visibility(With_a_reported_issue):
    def because_alice_posts_it(self):
        self.response = self.client.post(
            issue_url(self.issue_id, "comments"),
            {"body": "  ", "visibility": "secret"},
            format="json",
        )

    def it_should_answer_400_on_both_fields(self):
        expect(self.response.status_code).to(equal(400))
        expect(self.response.json()).to(have_keys("body", "visibility"))


@pytest.mark.django_db
class When_staff_resolve_an_issue(With_a_command_answer, With_a_reported_issue):
    def because_alice_resolves_it(self):
        self.response = self.client.post(
            issue_url(self.issue_id, "resolve"), {"resolution": "Replaced."}, format="json"
        )

    def it_should_give_the_resolved_issue(self):
        expect(self.response.json()).to(have_keys(status="resolved", resolution="Replaced."))


@pytest.mark.django_db
class When_staff_resolve_an_issue_that_is_already_resolved(With_a_resolved_issue):
    def because_alice_resolves_it_again(self):
        self.response = self.client.post(
            issue_url(self.issue_id, "resolve"), {"resolution": "Again."}, format="json"
        )

    def it_should_answer_409_issue_already_resolved(self):
        expect((self.response.status_code, self.response.json()["code"])).to(
            equal((409, "issue_already_resolved"))
        )

    def it_should_record_no_second_resolution(self):
        expect(RecordedEvent.objects.filter(issue_id=self.issue_id, event_type="IssueResolved")).to(
            have_len(1)
        )


@pytest.mark.django_db
class When_staff_reopen_a_resolved_issue(With_a_command_answer, With_a_resolved_issue):
    def because_alice_reopens_it(self):
        self.response = self.client.post(
            issue_url(self.issue_id, "reopen"), {"reason": "Still smoking."}, format="json"
        )

    def it_should_be_open_again(self):
        expect(self.response.json()["status"]).to(equal("triaged"))


@pytest.mark.django_db
class When_staff_reopen_an_issue_that_is_not_resolved(With_a_reported_issue):
    def because_alice_reopens_it(self):
        self.response = self.client.post(
            issue_url(self.issue_id, "reopen"), {"reason": "Why not."}, format="json"
        )

    def it_should_answer_409_issue_not_resolved(self):
        expect((self.response.status_code, self.response.json()["code"])).to(
            equal((409, "issue_not_resolved"))
        )


@pytest.mark.django_db
class When_staff_close_a_resolved_issue(With_a_command_answer, With_a_resolved_issue):
    def because_alice_closes_it(self):
        self.response = self.client.post(issue_url(self.issue_id, "close"))

    def it_should_be_closed(self):
        expect(self.response.json()["status"]).to(equal("closed"))


@pytest.mark.django_db
class When_staff_act_on_a_closed_issue(With_a_resolved_issue):
    def given_it_is_closed(self):
        message_bus().handle(
            commands.CloseIssue(issue_id=self.issue_id, actor=Actor.staff("alice"))
        )

    def because_alice_tries_everything(self):
        post = self.client.post
        self.responses = {
            "triage": post(
                issue_url(self.issue_id, "triage"),
                {"category": "network", "priority": "low"},
                format="json",
            ),
            "assign": post(issue_url(self.issue_id, "assign"), {"assignee": "bob"}, format="json"),
            "comments": post(issue_url(self.issue_id, "comments"), {"body": "x"}, format="json"),
            "resolve": post(
                issue_url(self.issue_id, "resolve"), {"resolution": "x"}, format="json"
            ),
            "close": post(issue_url(self.issue_id, "close")),
        }

    def it_should_refuse_each_with_409_and_a_code(self):
        expect({name: r.status_code for name, r in self.responses.items()}).to(
            equal({name: 409 for name in self.responses})
        )
        expect({name: r.json()["code"] for name, r in self.responses.items()}).to(
            equal(
                {
                    "triage": "issue_closed",
                    "assign": "issue_closed",
                    "comments": "issue_closed",
                    "resolve": "issue_closed",
                    "close": "issue_closed",
                }
            )
        )

    def it_should_change_nothing(self):
        expect(IssueRecord.objects.get(id=self.issue_id).version).to(equal(3))


@pytest.mark.django_db
class When_staff_triage_with_missing_and_unknown_values(With_a_reported_issue):
    def because_alice_posts_nonsense(self):
        self.missing = self.client.post(issue_url(self.issue_id, "triage"), {}, format="json")
        self.unknown = self.client.post(
            issue_url(self.issue_id, "triage"),
            {"category": "astrology", "priority": "low"},
            format="json",
        )

    def it_should_name_the_missing_fields(self):
        expect((self.missing.status_code, sorted(self.missing.json()))).to(
            equal((400, ["category", "priority"]))
        )

    def it_should_refuse_an_unknown_category_with_the_domains_message(self):
        expect((self.unknown.status_code, self.unknown.json())).to(
            equal((400, {"category": ["'astrology' is not a known category."]}))
        )


@pytest.mark.django_db
class When_staff_act_on_an_issue_that_does_not_exist(With_a_reported_issue):
    def because_alice_posts_every_command_to_unknown_ids(self):
        self.responses = [
            self.client.post(issue_url(issue_id, action), body, format="json")
            for issue_id in (uuid.uuid4(), "not-a-uuid")
            for action, body in [
                ("triage", {"category": "network", "priority": "low"}),
                ("assign", {"assignee": "bob"}),
                ("pick", {}),
                ("comments", {"body": "x"}),
                ("resolve", {"resolution": "x"}),
                ("reopen", {"reason": "x"}),
                ("close", {}),
            ]
        ]

    def it_should_answer_404_issue_not_found_to_each(self):
        expect({(r.status_code, r.json()["code"]) for r in self.responses}).to(
            equal({(404, "issue_not_found")})
        )


# -- If-Match -----------------------------------------------------------------------------


@pytest.mark.django_db
class When_staff_act_on_the_version_they_read(With_a_reported_issue):
    def because_alice_triages_with_the_etag_she_read(self):
        read = self.client.get(issue_url(self.issue_id))
        self.response = self.client.post(
            issue_url(self.issue_id, "triage"),
            {"category": "network", "priority": "low"},
            format="json",
            HTTP_IF_MATCH=read["ETag"],
        )

    def it_should_act(self):
        expect((self.response.status_code, self.response["ETag"])).to(equal((200, '"2"')))


@pytest.mark.django_db
class When_staff_act_on_a_version_somebody_else_changed(With_a_reported_issue):
    def given_bob_commented_after_alice_read_version_1(self):
        message_bus().handle(
            commands.CommentOnIssue(issue_id=self.issue_id, author=Actor.staff("bob"), body="Mine.")
        )

    def because_alice_resolves_with_if_match_1(self):
        self.response = self.client.post(
            issue_url(self.issue_id, "resolve"),
            {"resolution": "Done."},
            format="json",
            HTTP_IF_MATCH='"1"',
        )

    def it_should_answer_412_stale_version(self):
        expect((self.response.status_code, self.response.json()["code"])).to(
            equal((412, "stale_version"))
        )

    def it_should_give_the_current_version_as_etag(self):
        expect(self.response["ETag"]).to(equal('"2"'))

    def it_should_change_nothing(self):
        row = IssueRecord.objects.get(id=self.issue_id)
        expect((row.status, row.version)).to(equal(("reported", 2)))


@pytest.mark.django_db
class When_staff_send_an_if_match_that_is_no_version(With_a_reported_issue):
    def because_alice_sends_malformed_if_match_headers(self):
        self.responses = [
            self.client.post(issue_url(self.issue_id, "pick"), format="json", HTTP_IF_MATCH=header)
            for header in ("1", 'W/"1"', '"one"', '"1", "2"', '""')
        ]

    def it_should_answer_400_on_if_match_to_each(self):
        expect({(r.status_code, tuple(r.json())) for r in self.responses}).to(
            equal({(400, ("If-Match",))})
        )

    def it_should_change_nothing(self):
        expect(IssueRecord.objects.get(id=self.issue_id).assignee).to(equal(None))


@pytest.mark.django_db
class When_staff_send_if_match_star(With_a_reported_issue):
    def because_alice_picks_with_if_match_star(self):
        self.response = self.client.post(
            issue_url(self.issue_id, "pick"), format="json", HTTP_IF_MATCH="*"
        )

    def it_should_act_whatever_the_version(self):
        expect(self.response.status_code).to(equal(200))


@pytest.mark.django_db
class When_an_if_match_is_stale_for_every_command(With_a_resolved_issue):
    def because_alice_sends_version_1_to_each(self):
        stale = {"HTTP_IF_MATCH": '"1"', "format": "json"}
        self.responses = [
            self.client.post(issue_url(self.issue_id, action), body, **stale)
            for action, body in [
                ("triage", {"category": "network", "priority": "low"}),
                ("assign", {"assignee": "bob"}),
                ("pick", {}),
                ("comments", {"body": "x"}),
                ("resolve", {"resolution": "x"}),
                ("reopen", {"reason": "x"}),
                ("close", {}),
            ]
        ]

    def it_should_answer_412_to_each(self):
        expect([r.status_code for r in self.responses]).to(equal([412] * 7))

    def it_should_record_nothing(self):
        expect(RecordedEvent.objects.filter(issue_id=self.issue_id, issue_version__gt=2)).to(
            be_empty
        )
