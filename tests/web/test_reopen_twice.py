"""A reporter who sends the reopen form twice (the same expected_version) is told the issue is
already open again, not that the helpdesk changed it meanwhile."""

import pytest
from django.test import Client

from issues_adapters.persistence.models import RecordedEvent
from tests.web.support import issue_in, row, token


class When_the_reporter_sends_the_reopen_form_twice:
    pytestmark = pytest.mark.django_db

    def given_a_resolved_issue_reopened_once(self):
        self.issue_id = issue_in("resolved")
        self.url = f"/track/{token(self.issue_id)}/reopen/"
        self.form = {"reason": "It jams again.", "expected_version": row(self.issue_id).version}
        self.first = Client().post(self.url, self.form)
        self.version = row(self.issue_id).version

    def because_the_same_form_comes_again(self):
        self.response = Client().post(self.url, self.form, follow=True)
        self.html = self.response.content.decode()

    def it_should_answer_with_the_page(self):
        assert self.first.status_code == 302
        assert self.response.redirect_chain == [(f"/track/{token(self.issue_id)}/", 302)]
        assert self.response.status_code == 200

    def it_should_say_it_is_already_open_again(self):
        assert "This issue is already open again." in self.html

    def it_should_not_blame_the_helpdesk(self):
        assert "changed this issue while you were writing" not in self.html

    def it_should_reopen_it_once(self):
        assert row(self.issue_id).status == "assigned"
        assert row(self.issue_id).version == self.version
        reopened = RecordedEvent.objects.filter(issue_id=self.issue_id, event_type="IssueReopened")
        assert reopened.count() == 1
