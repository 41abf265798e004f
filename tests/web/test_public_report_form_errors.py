"""The report form shows every field's error in one round, not one round at a time: the domain's
own checks run on each field that passed Django's."""

import pytest
from django.test import Client, override_settings
from expects import contain, equal, expect, have_keys, have_len

from issues_adapters.persistence.models import IssueRecord
from tests.attachments.support import upload

GOOD = {
    "name": "Fred Bloggs",
    "email": "fred@example.org",
    "subject": "Printer jams",
    "description": "The printer on the second floor jams.",
}


class When_a_report_has_several_bad_fields:
    pytestmark = pytest.mark.django_db

    def because_it_is_sent_once(self):
        bad = {
            "name": "",
            "email": "x@",
            "description": "x" * 10_001,
            "files": [upload("huge.bin", b"x" * 500)],
        }
        with override_settings(HELPDESK_ATTACHMENTS_MAX_FILE_BYTES=100):
            self.response = Client().post("/", GOOD | bad)
        self.errors = self.response.context["form"].errors
        self.html = self.response.content.decode()

    def it_should_refuse_it(self):
        expect(self.response.status_code).to(equal(400))
        expect(IssueRecord.objects.exists()).to(equal(False))

    def it_should_mark_every_bad_field(self):
        expect(self.errors).to(have_keys("name", "email", "description", "__all__"))

    def it_should_say_the_name_is_required(self):
        expect(self.errors["name"]).to(equal(["This field is required."]))

    def it_should_say_the_email_address_is_not_valid(self):
        expect(self.errors["email"]).to(
            equal(["Enter a valid email address, like name@example.com."])
        )

    def it_should_say_the_description_is_too_long(self):
        expect(self.html).to(contain("At most 10,000 characters, please (10,001)."))

    def it_should_name_the_file_past_the_limit(self):
        expect(" ".join(self.errors["__all__"])).to(contain("huge.bin"))


class When_a_field_fails_both_djangos_check_and_the_domains:
    pytestmark = pytest.mark.django_db

    def because_a_too_long_name_is_sent(self):
        self.response = Client().post("/", GOOD | {"name": "x" * 201})
        self.errors = self.response.context["form"].errors

    def it_should_show_one_error_for_it(self):
        expect(self.errors["name"]).to(have_len(1))
