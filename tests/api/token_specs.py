"""Getting an API token, and using one."""

import pytest
from expects import be_above, equal, expect
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.api.contexts import (
    A_REPORT,
    ISSUES,
    PASSWORD,
    TOKEN,
    anonymous,
    issue_url,
    make_user,
    rates,
    report_an_issue,
)

REFUSED = {"non_field_errors": ["Unable to log in with these credentials."]}


@pytest.mark.django_db
class When_staff_ask_for_a_token:
    def given_alice_is_staff(self):
        self.alice = make_user("alice")

    def because_she_asks_twice_and_uses_it(self):
        credentials = {"username": "alice", "password": PASSWORD}
        self.first = anonymous().post(TOKEN, credentials, format="json")
        self.second = anonymous().post(TOKEN, credentials, format="json")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {self.first.json()['token']}")
        self.queue = client.get(ISSUES)

    def it_should_give_her_token(self):
        expect((self.first.status_code, self.first.json())).to(
            equal((200, {"token": Token.objects.get(user=self.alice).key}))
        )

    def it_should_give_the_same_token_again(self):
        expect(self.second.json()).to(equal(self.first.json()))

    def it_should_open_the_staff_endpoints(self):
        expect(self.queue.status_code).to(equal(200))


@pytest.mark.django_db
class When_anybody_but_active_staff_asks_for_a_token:
    def given_users_of_every_kind(self):
        make_user("alice")
        make_user("inactive", active=False)
        make_user("customer", staff=False)

    def because_each_asks(self):
        ask = lambda username, password=PASSWORD: anonymous().post(  # noqa: E731
            TOKEN, {"username": username, "password": password}, format="json"
        )
        self.responses = {
            "wrong password": ask("alice", "guess"),
            "unknown user": ask("nobody"),
            "inactive staff": ask("inactive"),
            "not staff": ask("customer"),
        }

    def it_should_refuse_each_with_the_same_400(self):
        expect({name: (r.status_code, r.json()) for name, r in self.responses.items()}).to(
            equal({name: (400, REFUSED) for name in self.responses})
        )

    def it_should_hand_out_no_token(self):
        expect(Token.objects.count()).to(equal(0))


@pytest.mark.django_db
class When_a_token_request_is_incomplete:
    def because_nothing_is_sent(self):
        self.response = anonymous().post(TOKEN, {}, format="json")

    def it_should_name_both_fields(self):
        expect((self.response.status_code, sorted(self.response.json()))).to(
            equal((400, ["password", "username"]))
        )


@pytest.mark.django_db
class When_somebody_guesses_passwords_quickly:
    def because_one_address_tries_four_times_at_three_a_minute(self):
        make_user("alice")
        client = anonymous("198.51.100.7")
        with rates(token="3/minute"):
            self.responses = [
                client.post(TOKEN, {"username": "alice", "password": "guess"}, format="json")
                for _ in range(4)
            ]

    def it_should_throttle_the_fourth_with_429_and_retry_after(self):
        expect([r.status_code for r in self.responses]).to(equal([400, 400, 400, 429]))
        expect(int(self.responses[3]["Retry-After"])).to(be_above(0))


@pytest.mark.django_db
class When_staff_post_with_a_session_but_no_csrf_token:
    def given_alice_is_logged_in_to_a_browser_that_checks_csrf(self):
        make_user("alice")
        self.issue_id = report_an_issue()
        self.browser = APIClient(enforce_csrf_checks=True)
        self.browser.login(username="alice", password=PASSWORD)

    def because_a_forged_request_tries_to_pick_the_issue(self):
        self.forged = self.browser.post(issue_url(self.issue_id, "pick"), format="json")
        self.reading = self.browser.get(issue_url(self.issue_id))
        self.reporting = self.browser.post(ISSUES, A_REPORT, format="json")

    def it_should_refuse_it_with_403(self):
        expect((self.forged.status_code, self.forged.json()["code"])).to(
            equal((403, "permission_denied"))
        )

    def it_should_still_let_her_read(self):
        expect(self.reading.json()["assignee"]).to(equal(None))

    def it_should_refuse_a_forged_report_in_her_name_too(self):
        expect(self.reporting.status_code).to(equal(403))
