"""Idempotency-Key: a retried POST gives the first answer again and does nothing twice."""

import uuid
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone
from expects import be_empty, contain, equal, expect, have_keys, have_len

from issues_adapters.api.models import IdempotencyRecord
from issues_adapters.persistence.models import CommentRecord, IssueRecord, RecordedEvent
from issues_adapters.wiring import message_bus
from issues_domain.errors import ConcurrentUpdate
from tests.api.contexts import (
    A_REPORT,
    ISSUES,
    With_a_reported_issue,
    With_a_resolved_issue,
    With_staff,
    anonymous,
    issue_url,
    token_client,
)

KEY = "2b0e1c4e-5f7a-4a51-9d59-8f0e6a7f6b01"


def keyed(key: str = KEY) -> dict:
    return {"HTTP_IDEMPOTENCY_KEY": key}


def new_records():
    return IdempotencyRecord.objects.all()


@pytest.mark.django_db
class When_a_report_is_retried_after_its_response_was_lost:
    def because_the_client_posts_the_same_report_with_the_same_key_twice(self):
        client = anonymous()
        self.lost = client.post(ISSUES, A_REPORT, format="json", **keyed())
        self.retry = client.post(ISSUES, A_REPORT, format="json", **keyed())

    def it_should_make_exactly_one_issue(self):
        expect(IssueRecord.objects.count()).to(equal(1))
        expect(RecordedEvent.objects.filter(event_type="IssueReported")).to(have_len(1))

    def it_should_answer_the_retry_as_it_answered_the_first(self):
        expect((self.retry.status_code, self.retry.json())).to(
            equal((self.lost.status_code, self.lost.json()))
        )

    def it_should_give_the_same_location_and_etag(self):
        expect((self.retry["Location"], self.retry["ETag"])).to(
            equal((self.lost["Location"], self.lost["ETag"]))
        )

    def it_should_say_the_retry_is_a_replay(self):
        expect((self.lost.get("Idempotent-Replayed"), self.retry["Idempotent-Replayed"])).to(
            equal((None, "true"))
        )

    def it_should_remember_the_key_for_this_caller_only(self):
        record = IdempotencyRecord.objects.get()
        expect((record.key, record.caller, record.state, record.response_status)).to(
            equal((KEY, "anon:127.0.0.1", "done", 201))
        )


@pytest.mark.django_db
class When_a_key_is_used_again_for_a_different_request(With_a_reported_issue):
    def because_the_same_key_comes_with_another_body_and_another_endpoint(self):
        client = anonymous()
        self.first = client.post(ISSUES, A_REPORT, format="json", **keyed())
        self.other_body = client.post(
            ISSUES, A_REPORT | {"description": "Something else"}, format="json", **keyed()
        )
        self.client.post(issue_url(self.issue_id, "pick"), **keyed())
        self.other_version = self.client.post(
            issue_url(self.issue_id, "pick"), HTTP_IF_MATCH='"1"', **keyed()
        )
        self.other_issue = self.client.post(
            issue_url(uuid.uuid4(), "pick"), HTTP_IF_MATCH='"1"', **keyed()
        )

    def it_should_answer_422_idempotency_key_reused(self):
        for response in (self.other_body, self.other_version, self.other_issue):
            expect((response.status_code, response.json()["code"])).to(
                equal((422, "idempotency_key_reused"))
            )

    def it_should_not_report_the_second_issue(self):
        expect(IssueRecord.objects.filter(description="Something else")).to(be_empty)


@pytest.mark.django_db
class When_a_retry_arrives_while_the_first_request_is_still_running:
    def because_a_second_request_with_the_key_arrives_during_the_first(self):
        client = anonymous()
        bus = message_bus()
        handle = bus.handle
        self.during = []

        def handle_slowly(command):
            self.during.append(client.post(ISSUES, A_REPORT, format="json", **keyed()))
            return handle(command)

        with mock.patch.object(bus, "handle", side_effect=handle_slowly):
            self.first = client.post(ISSUES, A_REPORT, format="json", **keyed())

    def it_should_answer_the_second_409_idempotency_key_in_use(self):
        expect((self.during[0].status_code, self.during[0].json()["code"])).to(
            equal((409, "idempotency_key_in_use"))
        )

    def it_should_complete_the_first(self):
        expect(self.first.status_code).to(equal(201))

    def it_should_make_one_issue(self):
        expect(IssueRecord.objects.count()).to(equal(1))


@pytest.mark.django_db
class When_the_first_attempt_failed_with_a_server_error:
    def because_the_first_attempt_crashes_and_the_client_retries(self):
        client = anonymous()
        client.raise_request_exception = False
        bus = message_bus()
        with mock.patch.object(bus, "handle", side_effect=RuntimeError("database went away")):
            self.crashed = client.post(ISSUES, A_REPORT, format="json", **keyed())
        self.after_crash = list(new_records().values_list("state", flat=True))
        self.retry = client.post(ISSUES, A_REPORT, format="json", **keyed())

    def it_should_answer_the_first_500(self):
        expect(self.crashed.status_code).to(equal(500))

    def it_should_not_keep_the_claim(self):
        expect(self.after_crash).to(be_empty)

    def it_should_run_the_retry(self):
        expect((self.retry.status_code, self.retry.get("Idempotent-Replayed"))).to(
            equal((201, None))
        )

    def it_should_make_exactly_one_issue(self):
        expect(IssueRecord.objects.count()).to(equal(1))


@pytest.mark.django_db
class When_a_refused_command_is_retried_with_its_key(With_a_resolved_issue):
    def because_alice_resolves_the_resolved_issue_twice_with_one_key(self):
        url = issue_url(self.issue_id, "resolve")
        self.first = self.client.post(url, {"resolution": "x"}, format="json", **keyed())
        self.retry = self.client.post(url, {"resolution": "x"}, format="json", **keyed())

    def it_should_give_the_stored_refusal_again(self):
        expect((self.retry.status_code, self.retry.json(), self.retry["Idempotent-Replayed"])).to(
            equal((409, self.first.json(), "true"))
        )


@pytest.mark.django_db
class When_an_answer_that_echoes_a_null_character_is_kept(With_a_reported_issue):
    """PostgreSQL's jsonb cannot hold U+0000; DRF's message for a bad choice repeats the value."""

    def because_a_comment_with_a_null_in_its_visibility_is_posted_twice_with_one_key(self):
        url = issue_url(self.issue_id, "comments")
        body = {"body": "Hello", "visibility": "pub\x00lic"}
        self.first = self.client.post(url, body, format="json", **keyed())
        self.retry = self.client.post(url, body, format="json", **keyed())

    def it_should_answer_400_on_the_field(self):
        expect((self.first.status_code, list(self.first.json()))).to(equal((400, ["visibility"])))

    def it_should_replay_it_with_the_null_shown_as_a_replacement_character(self):
        expect((self.retry.status_code, self.retry["Idempotent-Replayed"])).to(equal((400, "true")))
        expect(self.retry.json()["visibility"][0]).to(contain("pub\ufffdlic"))

    def it_should_store_no_comment(self):
        expect(CommentRecord.objects.count()).to(equal(0))


@pytest.mark.django_db
class When_a_command_lost_the_race_and_is_retried_with_its_key(With_a_reported_issue):
    def because_the_first_attempt_gives_up_on_concurrent_updates(self):
        url = issue_url(self.issue_id, "comments")
        bus = message_bus()
        with mock.patch.object(bus, "handle", side_effect=ConcurrentUpdate()):
            self.first = self.client.post(url, {"body": "Hello"}, format="json", **keyed())
        self.retry = self.client.post(url, {"body": "Hello"}, format="json", **keyed())

    def it_should_refuse_the_first_with_409_concurrent_update(self):
        expect((self.first.status_code, self.first.json()["code"])).to(
            equal((409, "concurrent_update"))
        )

    def it_should_run_the_retry_instead_of_replaying_the_refusal(self):
        expect((self.retry.status_code, self.retry.get("Idempotent-Replayed"))).to(
            equal((201, None))
        )

    def it_should_add_the_comment_once(self):
        expect(CommentRecord.objects.filter(issue_id=self.issue_id)).to(have_len(1))


@pytest.mark.django_db
class When_every_command_is_retried_with_its_key(With_a_resolved_issue):
    def because_alice_sends_each_command_twice(self):
        post = self.client.post
        url = issue_url
        self.pairs = [
            [
                post(url(self.issue_id, action), body, format="json", **keyed(f"key-{action}"))
                for _ in range(2)
            ]
            for action, body in [
                ("comments", {"body": "Noted."}),
                ("reopen", {"reason": "Back."}),
                ("triage", {"category": "network", "priority": "low"}),
                ("assign", {"assignee": "bob"}),
                ("resolve", {"resolution": "Again."}),
                ("close", {}),
            ]
        ]
        report = [post(ISSUES, A_REPORT, format="json", **keyed("key-report")) for _ in range(2)]
        self.picked = report_id = report[0].json()["id"]
        self.pairs += [report]
        self.pairs += [[post(url(report_id, "pick"), **keyed("key-pick")) for _ in range(2)]]

    def it_should_replay_each_second_answer(self):
        expect([(b.status_code, b.json()) for _, b in self.pairs]).to(
            equal([(a.status_code, a.json()) for a, _ in self.pairs])
        )
        expect({b["Idempotent-Replayed"] for _, b in self.pairs}).to(equal({"true"}))

    def it_should_succeed_each_first_time(self):
        expect([a.status_code for a, _ in self.pairs]).to(
            equal([201, 200, 200, 200, 200, 200, 201, 200])
        )

    def it_should_record_each_command_once(self):
        types = list(
            RecordedEvent.objects.filter(issue_id=self.issue_id)
            .order_by("position")
            .values_list("event_type", flat=True)
        )
        expect(types[2:]).to(
            equal(
                [
                    "IssueCommented",
                    "IssueReopened",
                    "IssueTriaged",
                    "IssueAssigned",
                    "IssueResolved",
                    "IssueClosed",
                ]
            )
        )
        expect(RecordedEvent.objects.filter(issue_id=self.picked)).to(have_len(2))


@pytest.mark.django_db
class When_two_callers_use_the_same_key(With_a_reported_issue):
    def because_alice_and_bob_and_two_addresses_use_one_key(self):
        url = issue_url(self.issue_id, "comments")
        body = {"body": "Same words."}
        self.alice_says = self.client.post(url, body, format="json", **keyed())
        self.bob_says = token_client(self.bob).post(url, body, format="json", **keyed())
        self.here = anonymous("192.0.2.1").post(ISSUES, A_REPORT, format="json", **keyed())
        self.there = anonymous("192.0.2.2").post(ISSUES, A_REPORT, format="json", **keyed())

    def it_should_run_each_callers_request(self):
        expect([r.status_code for r in (self.alice_says, self.bob_says, self.here, self.there)]).to(
            equal([201, 201, 201, 201])
        )
        expect(CommentRecord.objects.filter(issue_id=self.issue_id)).to(have_len(2))
        expect(IssueRecord.objects.count()).to(equal(3))

    def it_should_keep_one_record_per_caller(self):
        expect(sorted(new_records().values_list("caller", flat=True))).to(
            equal(
                sorted(
                    [
                        f"user:{self.alice.pk}",
                        f"user:{self.bob.pk}",
                        "anon:192.0.2.1",
                        "anon:192.0.2.2",
                    ]
                )
            )
        )


def a_record(caller: str, *, state: str, age: timedelta, fingerprint: str = "0" * 64):
    return IdempotencyRecord.objects.create(
        key=KEY,
        caller=caller,
        fingerprint=fingerprint,
        claim=uuid.uuid4(),
        state=state,
        response_status=201 if state == "done" else None,
        response_body={"old": True} if state == "done" else None,
        created_at=timezone.now() - age,
    )


@pytest.mark.django_db
class When_a_key_is_used_again_after_it_expired:
    def given_the_key_was_used_25_hours_ago(self):
        a_record("anon:127.0.0.1", state="done", age=timedelta(hours=25))

    def because_it_is_used_again(self):
        self.response = anonymous().post(ISSUES, A_REPORT, format="json", **keyed())

    def it_should_run_the_request(self):
        expect((self.response.status_code, self.response.json())).not_to(
            equal((201, {"old": True}))
        )
        expect(IssueRecord.objects.count()).to(equal(1))

    def it_should_remember_the_new_answer(self):
        expect(IdempotencyRecord.objects.get().response_body).to(have_keys("id"))


@pytest.mark.django_db
class When_a_key_is_held_by_a_request_that_died:
    def given_a_running_claim_older_than_the_lease(self):
        a_record("anon:127.0.0.1", state="running", age=timedelta(minutes=10))
        a_record("anon:10.0.0.1", state="running", age=timedelta(seconds=5))

    def because_the_client_retries(self):
        self.abandoned = anonymous().post(ISSUES, A_REPORT, format="json", **keyed())
        self.fresh = anonymous("10.0.0.1").post(ISSUES, A_REPORT, format="json", **keyed())

    def it_should_take_over_the_abandoned_claim_and_run(self):
        expect(self.abandoned.status_code).to(equal(201))

    def it_should_still_wait_for_a_recent_claim(self):
        # A fresh claim with another fingerprint: the request differs, so 422 comes first.
        expect(self.fresh.status_code).to(equal(422))


@pytest.mark.django_db
class When_a_request_finds_its_claim_taken_over_before_it_finishes:
    def because_another_request_takes_the_claim_while_the_command_runs(self):
        bus = message_bus()
        handle = bus.handle

        def handle_then_lose_the_claim(command):
            result = handle(command)
            IdempotencyRecord.objects.update(claim=uuid.uuid4())
            return result

        with mock.patch.object(bus, "handle", side_effect=handle_then_lose_the_claim):
            self.response = anonymous().post(ISSUES, A_REPORT, format="json", **keyed())

    def it_should_answer_409_idempotency_key_in_use(self):
        expect((self.response.status_code, self.response.json()["code"])).to(
            equal((409, "idempotency_key_in_use"))
        )

    def it_should_undo_its_work(self):
        expect(IssueRecord.objects.count()).to(equal(0))


@pytest.mark.django_db
class When_an_idempotency_key_is_malformed(With_staff):
    def because_bad_keys_are_sent(self):
        self.responses = [
            anonymous().post(ISSUES, A_REPORT, format="json", **keyed(key))
            for key in ("", "x" * 256, "with space", "ключ")
        ]

    def it_should_answer_400_on_the_header(self):
        expect({(r.status_code, tuple(r.json())) for r in self.responses}).to(
            equal({(400, ("Idempotency-Key",))})
        )

    def it_should_run_nothing(self):
        expect(IssueRecord.objects.count()).to(equal(0))


@pytest.mark.django_db
class When_expired_keys_are_purged:
    def given_keys_of_every_age(self):
        self.old = a_record("anon:1", state="done", age=timedelta(hours=24, seconds=1))
        self.young = a_record("anon:2", state="done", age=timedelta(hours=23))

    def because_the_purge_command_runs(self):
        self.out = StringIO()
        call_command("purge_idempotency_keys", stdout=self.out)

    def it_should_delete_only_the_expired(self):
        expect(list(new_records().values_list("pk", flat=True))).to(equal([self.young.pk]))

    def it_should_say_how_many(self):
        expect(self.out.getvalue()).to(contain("Deleted 1 expired"))
