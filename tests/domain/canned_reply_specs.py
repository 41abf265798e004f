"""Canned replies: only the four placeholders; each filled with the issue's values."""

from expects import contain, equal, expect

from issues_domain.canned_replies import CannedReply, PlaceholderValues
from tests.matchers import be_refused_with, catch

VALUES = PlaceholderValues.of(
    reporter_name="Fred Bloggs",
    reference="HD-1042",
    description="Printer on fire\nIt smells of toner.",
    agent_name="alice",
)


class When_saving_a_reply_with_every_placeholder:
    def because_alice_writes_one(self):
        self.reply = CannedReply.create(
            " Thanks ", "Hello {reporter_name}, about {reference} ({subject}): on it. {agent_name}"
        )

    def it_should_keep_it_trimmed(self):
        expect(self.reply.title).to(equal("Thanks"))

    def it_should_fill_each_placeholder_from_the_issue(self):
        expect(self.reply.filled(VALUES)).to(
            equal("Hello Fred Bloggs, about HD-1042 (Printer on fire): on it. alice")
        )


class When_the_issue_has_a_subject_of_its_own:
    def because_the_values_name_it(self):
        self.values = PlaceholderValues.of(
            reporter_name="Fred",
            reference="HD-1",
            description="Long text",
            agent_name="bob",
            subject="Printer",
        )

    def it_should_use_the_subject(self):
        expect(self.values.subject).to(equal("Printer"))


class When_saving_a_reply_with_an_unknown_placeholder:
    def because_alice_mistypes_one(self):
        self.error = catch(
            lambda: CannedReply.create("Hi", "Dear {reporter_nmae}, {unknown} and {reference}")
        )

    def it_should_be_refused_as_invalid_input(self):
        expect(self.error).to(be_refused_with("invalid_input"))

    def it_should_name_each_unknown_placeholder_on_the_body(self):
        expect(self.error.errors["body"][0]).to(
            contain("Unknown placeholder {reporter_nmae}, {unknown}:", "{agent_name}")
        )


class When_saving_a_reply_without_a_title_or_body:
    def because_alice_sends_nothing(self):
        self.error = catch(lambda: CannedReply.create("", ""))

    def it_should_name_both_fields(self):
        expect(sorted(self.error.errors)).to(equal(["body", "title"]))
