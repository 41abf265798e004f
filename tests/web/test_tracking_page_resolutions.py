"""The reporter's conversation keeps each resolution, its text and public files, in order like
a public reply: a reopen no longer makes the helpdesk's answer disappear."""

import pytest
from django.test import Client
from expects import be_below, contain, equal, expect

from issues_adapters.persistence.models import AttachmentRecord, IssueRecord
from tests.attachments.support import png_bytes, upload
from tests.web.support import comment, issue_in, staff_client, token


class When_the_reporter_reopens_a_resolved_issue:
    pytestmark = pytest.mark.django_db

    def given_an_issue_resolved_with_a_file(self):
        self.issue_id = issue_in("assigned")
        comment(self.issue_id, "Which printer is it?")
        response = staff_client().post(
            f"/staff/issues/{self.issue_id}/reply/",
            {
                "body": "Treiber neu installiert",
                "visibility": "public",
                "follow_up": "resolve",
                "expected_version": IssueRecord.objects.get(id=self.issue_id).version,
                "files": [upload("fix.png", png_bytes())],
            },
        )
        assert response.status_code == 302
        self.file = AttachmentRecord.objects.get(issue_id=self.issue_id)
        self.url = f"/track/{token(self.issue_id)}/"

    def because_they_reopen_it_from_the_tracking_page(self):
        version = IssueRecord.objects.get(id=self.issue_id).version
        form = {"reason": "Es druckt wieder nicht.", "expected_version": version}
        self.response = Client().post(f"{self.url}reopen/", form, follow=True)
        html = self.response.content.decode()
        self.conversation = html[html.index('id="comments"') :]

    def it_should_reopen_it(self):
        expect(IssueRecord.objects.get(id=self.issue_id).status).to(equal("assigned"))

    def it_should_keep_the_resolution_in_the_conversation(self):
        expect(self.conversation).to(contain("Treiber neu installiert"))

    def it_should_keep_the_resolutions_file(self):
        expect(self.conversation).to(contain(f"attachments/{self.file.id}/"))

    def it_should_show_it_between_the_reply_before_and_the_reopen_after(self):
        position = self.conversation.index
        expect(position("Which printer is it?")).to(be_below(position("Treiber neu installiert")))
        expect(position("Treiber neu installiert")).to(be_below(position("Es druckt wieder")))
