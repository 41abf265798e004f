"""The token example in docs/api.md works as written: its headers and body, sent to the API."""

import itertools
import shlex
from pathlib import Path

import pytest
from django.test import Client
from expects import equal, expect, have_key

from tests.api.contexts import PASSWORD, TOKEN, make_user

API_DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def the_documented_token_request() -> tuple[dict, str]:
    """The curl command for the token in docs/api.md: its headers and its body."""
    lines = iter(API_DOC.read_text().splitlines())
    command = next(line for line in lines if "curl" in line and TOKEN in line)
    while command.endswith("\\"):
        command = command[:-1] + next(lines)
    words = shlex.split(command)
    headers, data = {}, []
    for flag, value in itertools.pairwise(words):
        if flag == "-H":
            name, _, header_value = value.partition(":")
            headers[name.strip()] = header_value.strip()
        elif flag in ("-d", "--data"):
            data.append(value)
    return headers, "&".join(data)  # as curl joins several -d


@pytest.mark.django_db
class When_a_program_asks_for_a_token_as_the_api_page_shows:
    def given_demo_with_the_documented_password(self):
        self.headers, self.body = the_documented_token_request()
        make_user("demo")
        self.body = self.body.replace("helpdesk-demo", PASSWORD)

    def because_it_sends_the_documented_request(self):
        self.response = Client().post(
            TOKEN,
            self.body,
            content_type=self.headers.get("Content-Type", "application/x-www-form-urlencoded"),
        )

    def it_should_get_a_token(self):
        expect(self.response.status_code).to(equal(200))
        expect(self.response.json()).to(have_key("token"))
