import os
import subprocess
import sys
from urllib.parse import urlencode

import pytest
from expects import be_within, equal, expect, have_keys, start_with

from issues_adapters.persistence.models import IssueRecord
from tests.api.contexts import A_REPORT, ISSUES, anonymous, make_user, rates, token_client


@pytest.mark.django_db
class When_somebody_reports_an_issue:
    def because_an_anonymous_client_posts_a_report(self):
        self.response = anonymous().post(ISSUES, A_REPORT, format="json")
        self.body = self.response.json()

    def it_should_answer_201_created(self):
        expect(self.response.status_code).to(equal(201))

    def it_should_point_to_the_new_issue(self):
        expect(self.response["Location"]).to(
            equal(f"http://testserver/api/issues/{self.body['id']}/")
        )

    def it_should_give_the_issue_as_reported(self):
        expect(self.body).to(
            have_keys(
                status="reported",
                reporter_name="Fred Bloggs",
                reporter_email="fred@example.org",
                description="The printer on the second floor is on fire.",
                category="printing",
                priority="high",
                assignee=None,
                resolution=None,
                version=1,
                comments=[],
            )
        )

    def it_should_give_it_a_reference(self):
        expect(self.body["reference"]).to(start_with("HD-"))

    def it_should_tag_the_version(self):
        expect(self.response["ETag"]).to(equal('"1"'))

    def it_should_store_it(self):
        expect(IssueRecord.objects.filter(id=self.body["id"]).count()).to(equal(1))

    def it_should_not_show_the_private_tracking_token(self):
        expect(self.body).not_to(have_keys("tracking_token"))


@pytest.mark.django_db
class When_an_issue_is_reported_without_category_or_priority:
    def because_only_the_required_fields_are_posted(self):
        fields = {k: A_REPORT[k] for k in ("reporter_name", "reporter_email", "description")}
        self.response = anonymous().post(ISSUES, fields, format="json")

    def it_should_be_reported_all_the_same(self):
        expect(self.response.status_code).to(equal(201))

    def it_should_have_neither(self):
        expect((self.response.json()["category"], self.response.json()["priority"])).to(
            equal((None, None))
        )


@pytest.mark.django_db
class When_a_report_is_missing_its_fields:
    def because_an_empty_object_is_posted(self):
        self.response = anonymous().post(ISSUES, {}, format="json")

    def it_should_answer_400(self):
        expect(self.response.status_code).to(equal(400))

    def it_should_name_every_missing_field(self):
        expect(self.response.json()).to(have_keys("reporter_name", "reporter_email", "description"))

    def it_should_store_nothing(self):
        expect(IssueRecord.objects.count()).to(equal(0))


@pytest.mark.django_db
class When_a_report_has_an_invalid_email_and_an_unknown_priority:
    def because_it_is_posted(self):
        self.response = anonymous().post(
            ISSUES, A_REPORT | {"reporter_email": "fred", "priority": "whenever"}, format="json"
        )

    def it_should_answer_400_with_the_domains_and_the_shapes_messages(self):
        expect(self.response.status_code).to(equal(400))

    def it_should_name_the_priority(self):
        expect(self.response.json()).to(have_keys("priority"))


@pytest.mark.django_db
class When_a_report_names_an_unknown_category:
    def because_it_is_posted(self):
        self.response = anonymous().post(
            ISSUES, A_REPORT | {"category": "astrology"}, format="json"
        )

    def it_should_answer_400_on_the_category_with_the_domains_message(self):
        expect((self.response.status_code, self.response.json())).to(
            equal((400, {"category": ["'astrology' is not a known category."]}))
        )


@pytest.mark.django_db
class When_a_report_has_an_invalid_email_only:
    def because_it_is_posted(self):
        self.response = anonymous().post(
            ISSUES, A_REPORT | {"reporter_email": "fred at home"}, format="json"
        )

    def it_should_answer_400_with_the_domains_message(self):
        expect((self.response.status_code, self.response.json())).to(
            equal(
                (400, {"reporter_email": ["Enter a valid email address, like name@example.com."]})
            )
        )


@pytest.mark.django_db
class When_a_report_is_not_json:
    def because_a_form_is_posted(self):
        # Multipart is taken (it carries files); a urlencoded form is not.
        self.form = anonymous().post(
            ISSUES, urlencode(A_REPORT), content_type="application/x-www-form-urlencoded"
        )
        self.broken = anonymous().post(ISSUES, "{not json", content_type="application/json")
        self.array = anonymous().post(ISSUES, [1, 2], format="json")

    def it_should_refuse_a_form_with_415(self):
        expect((self.form.status_code, self.form.json()["code"])).to(
            equal((415, "unsupported_media_type"))
        )

    def it_should_refuse_broken_json_with_400_for_the_body_as_a_whole(self):
        expect((self.broken.status_code, list(self.broken.json()))).to(
            equal((400, ["non_field_errors"]))
        )

    def it_should_refuse_a_json_array_with_400_for_the_body_as_a_whole(self):
        expect((self.array.status_code, list(self.array.json()))).to(
            equal((400, ["non_field_errors"]))
        )


@pytest.mark.django_db
class When_a_text_field_is_given_a_number_or_a_list:
    def because_such_reports_are_posted(self):
        self.number = anonymous().post(
            ISSUES, A_REPORT | {"description": 6347007238}, format="json"
        )
        self.listed = anonymous().post(
            ISSUES, A_REPORT | {"reporter_name": ["Fred"]}, format="json"
        )

    def it_should_refuse_both_with_400_on_the_field_as_the_schema_promises(self):
        expect((self.number.status_code, self.number.json())).to(
            equal((400, {"description": ["Not a valid string."]}))
        )
        expect((self.listed.status_code, self.listed.json())).to(
            equal((400, {"reporter_name": ["Not a valid string."]}))
        )

    def it_should_store_nothing(self):
        expect(IssueRecord.objects.count()).to(equal(0))


@pytest.mark.django_db
class When_text_has_characters_no_one_can_store:
    def because_a_null_character_and_a_control_character_are_posted(self):
        self.null = anonymous().post(ISSUES, A_REPORT | {"description": "a\x00b"}, format="json")
        self.control = anonymous().post(ISSUES, A_REPORT | {"description": "a\x07b"}, format="json")

    def it_should_refuse_both_with_400_on_the_field(self):
        expect((self.null.status_code, self.control.status_code)).to(equal((400, 400)))
        expect(self.null.json()).to(have_keys("description"))
        expect(self.control.json()).to(have_keys("description"))


@pytest.mark.django_db
class When_the_reporter_email_is_not_one_plain_address:
    def because_a_display_name_and_a_list_are_posted(self):
        self.responses = [
            anonymous().post(ISSUES, A_REPORT | {"reporter_email": email}, format="json")
            for email in ('"x"<a@b.org>', "x@evil.org,z")
        ]

    def it_should_refuse_both_with_400_on_the_field(self):
        expect([(r.status_code, list(r.json())) for r in self.responses]).to(
            equal([(400, ["reporter_email"])] * 2)
        )

    def it_should_store_nothing(self):
        expect(IssueRecord.objects.count()).to(equal(0))


@pytest.mark.django_db
class When_the_reporter_email_has_a_domain_in_capitals:
    def because_it_is_reported(self):
        report = A_REPORT | {"reporter_email": "Fred@Example.ORG"}
        self.response = anonymous().post(ISSUES, report, format="json")

    def it_should_keep_the_domain_in_lower_case(self):
        expect(self.response.json()["reporter_email"]).to(equal("Fred@example.org"))


@pytest.mark.django_db
class When_one_address_reports_more_often_than_the_rate_allows:
    def because_it_posts_three_reports_at_two_a_minute(self):
        client = anonymous("192.0.2.10")
        with rates(report="2/minute"):
            self.responses = [client.post(ISSUES, A_REPORT, format="json") for _ in range(3)]
            self.elsewhere = anonymous("192.0.2.11").post(ISSUES, A_REPORT, format="json")
            staff = token_client(make_user("alice"))
            self.staff = [staff.post(ISSUES, A_REPORT, format="json") for _ in range(3)]

    def it_should_accept_the_first_two(self):
        expect([r.status_code for r in self.responses[:2]]).to(equal([201, 201]))

    def it_should_answer_the_third_with_429(self):
        expect(self.responses[2].status_code).to(equal(429))

    def it_should_say_when_to_try_again(self):
        expect(int(self.responses[2]["Retry-After"])).to(be_within(1, 61))

    def it_should_say_why_in_the_error_shape(self):
        expect(self.responses[2].json()["code"]).to(equal("throttled"))

    def it_should_not_count_other_addresses(self):
        expect(self.elsewhere.status_code).to(equal(201))

    def it_should_not_throttle_staff(self):
        expect([r.status_code for r in self.staff]).to(equal([201, 201, 201]))

    def it_should_store_only_the_accepted_reports(self):
        expect(IssueRecord.objects.count()).to(equal(6))


def test_the_rates_can_be_set_in_the_environment():
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'])"
    )
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "issues_adapters.settings",
        "HELPDESK_API_REPORT_RATE": "7/hour",
        "HELPDESK_API_TOKEN_RATE": "3/minute",
        "HELPDESK_REPORTER_COMMENT_RATE": "4/hour",
        "HELPDESK_PASSWORD_RESET_RATE": "2/day",
        "HELPDESK_PASSWORD_RESET_ADDRESS_RATE": "9/hour",
    }
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout
    expect(out.strip()).to(
        equal(
            "{'report': '7/hour', 'token': '3/minute', 'reporter_comment': '4/hour', "
            "'password_reset': '2/day', 'password_reset_address': '9/hour'}"
        )
    )
