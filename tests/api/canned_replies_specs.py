"""Canned replies over HTTP: list, create, change; an unknown placeholder refused on save."""

import pytest
from expects import contain, equal, expect, have_keys

from issues_adapters.canned_replies.models import CannedReplyRecord
from tests.api.contexts import With_staff, anonymous

REPLIES = "/api/canned-replies/"


@pytest.mark.django_db
class When_staff_keep_a_canned_reply(With_staff):
    def because_alice_creates_one(self):
        self.response = self.client.post(
            REPLIES, {"title": "Thanks", "body": "Hello {reporter_name}"}, format="json"
        )

    def it_should_answer_201_with_it(self):
        expect(self.response.status_code).to(equal(201))
        expect(self.response.json()).to(have_keys(title="Thanks", body="Hello {reporter_name}"))

    def it_should_list_it(self):
        expect(self.client.get(REPLIES).json()).to(equal([self.response.json()]))

    def it_should_take_a_change(self):
        changed = self.client.put(
            f"{REPLIES}{self.response.json()['id']}/",
            {"title": "Thanks!", "body": "Hi {agent_name}"},
            format="json",
        )
        expect(changed.status_code).to(equal(200))
        expect(changed.json()).to(have_keys(title="Thanks!", body="Hi {agent_name}"))


@pytest.mark.django_db
class When_staff_save_a_canned_reply_with_an_unknown_placeholder(With_staff):
    def because_alice_writes_one(self):
        self.response = self.client.post(
            REPLIES, {"title": "Oops", "body": "Dear {unknown}"}, format="json"
        )

    def it_should_be_a_400_naming_it(self):
        expect(self.response.status_code).to(equal(400))
        expect(self.response.json()["body"][0]).to(contain("Unknown placeholder {unknown}"))

    def it_should_keep_nothing(self):
        expect(CannedReplyRecord.objects.count()).to(equal(0))


@pytest.mark.django_db
class When_staff_change_a_canned_reply_to_an_unknown_placeholder(With_staff):
    def given_a_reply(self):
        self.reply = CannedReplyRecord.objects.create(title="T", body="B", updated_by="alice")

    def because_alice_changes_it(self):
        self.response = self.client.put(
            f"{REPLIES}{self.reply.id}/", {"title": "T", "body": "{nope}"}, format="json"
        )

    def it_should_be_a_400_and_keep_the_old_body(self):
        expect(self.response.status_code).to(equal(400))
        expect(CannedReplyRecord.objects.get(id=self.reply.id).body).to(equal("B"))


@pytest.mark.django_db
def test_changing_an_unknown_canned_reply_is_a_404():
    context = With_staff()
    context.given_staff_alice_with_a_token()
    response = context.client.put(f"{REPLIES}999/", {"title": "T", "body": "B"}, format="json")
    expect(response.status_code).to(equal(404))


@pytest.mark.django_db
def test_anonymous_callers_get_no_canned_replies():
    expect(anonymous().get(REPLIES).status_code).to(equal(401))
