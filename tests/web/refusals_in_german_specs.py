"""The domain's refusals of an issue page's forms (tags, links, merge) speak the staff member's
language, like the bulk actions' do: they were kept in the session as English text before the
page translated them."""

import pytest
from expects import contain, expect

from tests.web.support import issue_in, report, row, staff_client

pytestmark = pytest.mark.django_db


def a_german_staff_client():
    client = staff_client("alice")
    client.post("/staff/settings/language/", {"language": "de"})
    return client


def sent(client, issue_id, what: str, **data) -> str:
    return client.post(f"/staff/issues/{issue_id}/{what}/", data, follow=True).content.decode()


class When_a_german_staff_member_adds_a_tag_that_is_not_valid:
    def given_an_issue(self):
        self.client, self.issue_id = a_german_staff_client(), report()

    def because_she_adds_a_capitalised_tag(self):
        self.html = sent(self.client, self.issue_id, "tags", add="Groß")

    def it_should_say_why_in_german(self):
        expect(self.html).to(contain("Kein gültiges Tag:"))
        expect(self.html).not_to(contain("Not a valid tag"))


class When_a_german_staff_member_adds_a_tag_too_many:
    def given_an_issue(self):
        self.client, self.issue_id = a_german_staff_client(), report()

    def because_she_adds_21_tags(self):
        tags = ", ".join(f"tag-{n}" for n in range(21))
        self.html = sent(self.client, self.issue_id, "tags", add=tags)

    def it_should_say_why_in_german(self):
        expect(self.html).to(contain("Ein Anliegen hat höchstens 20 Tags; damit wären es 21."))


class When_a_german_staff_member_merges_an_issue_into_itself:
    def given_an_issue(self):
        self.client, self.issue_id = a_german_staff_client(), report()

    def because_she_merges_it_into_its_own_reference(self):
        into = row(self.issue_id).reference
        self.html = sent(self.client, self.issue_id, "merge", into=into)

    def it_should_say_why_in_german(self):
        expect(self.html).to(
            contain(
                "Nicht ausgeführt: Ein Anliegen kann nicht in sich selbst zusammengeführt werden."
            )
        )


class When_a_german_staff_member_merges_an_issue_into_a_closed_one:
    def given_an_open_and_a_closed_issue(self):
        self.client, self.issue_id = a_german_staff_client(), report()
        self.closed = issue_in("closed")

    def because_she_merges_the_open_one_into_the_closed_one(self):
        into = row(self.closed).reference
        self.html = sent(self.client, self.issue_id, "merge", into=into)

    def it_should_say_why_in_german(self):
        expect(self.html).to(
            contain("Das Anliegen, in das zusammengeführt werden soll, ist geschlossen")
        )


class When_a_german_staff_member_links_an_issue_to_itself:
    def given_an_issue(self):
        self.client, self.issue_id = a_german_staff_client(), report()

    def because_she_links_it_to_its_own_reference(self):
        other = row(self.issue_id).reference
        self.html = sent(self.client, self.issue_id, "links", other=other)

    def it_should_say_why_in_german(self):
        expect(self.html).to(contain("Ein Anliegen kann nicht mit sich selbst verknüpft werden."))
