"""The canned replies page speaks the staff member's language: the help text under the reply's
text (filled in once, at import, it stayed English) and the domain's refusal of an unknown
placeholder (an English sentence the domain wrote without marking it for translation)."""

import pytest
from expects import contain, expect

from tests.web.refusals_in_german_specs import a_german_staff_client

pytestmark = pytest.mark.django_db


class When_a_german_staff_member_opens_the_canned_replies:
    def given_a_german_staff_member(self):
        self.client = a_german_staff_client()

    def because_she_opens_the_page(self):
        self.html = self.client.get("/staff/canned-replies/").content.decode()

    def it_should_say_which_placeholders_are_filled_in_german(self):
        expect(self.html).to(contain("Platzhalter, die beim Einfügen ausgefüllt werden:"))
        expect(self.html).not_to(contain("Placeholders filled in when inserted"))


class When_a_german_staff_member_saves_a_reply_with_an_unknown_placeholder:
    def given_a_german_staff_member(self):
        self.client = a_german_staff_client()

    def because_she_saves_a_reply_naming_name(self):
        reply = {"title": "Ungültig", "body": "Hallo {name}, {Reporter_Name}"}
        self.html = self.client.post("/staff/canned-replies/", reply).content.decode()

    def it_should_say_which_placeholders_are_unknown_in_german(self):
        expect(self.html).to(
            contain("Unbekannter Platzhalter {name}, {Reporter_Name}: verwenden Sie nur")
        )
        expect(self.html).not_to(contain("Unknown placeholder"))
