"""A browser sends a file name's `"`, carriage return and line feed as %22, %0D and %0A (the HTML
standard's multipart form encoding): the file keeps the name it had on the sender's disk, in the
timeline, on the tracking page, in mail and as the download's name, and a refusal names it so."""

import contextlib

import pytest
from django.core.files.uploadhandler import StopUpload
from expects import be_a, contain, equal, expect

from issues_adapters.attachments.uploads import LimitedUploads, name_sent
from issues_adapters.persistence.models import AttachmentRecord, IssueRecord
from issues_domain.attachments import AttachmentLimits
from issues_domain.errors import InvalidInput
from tests.attachments.support import upload
from tests.web.support import issue_in, staff_client

pytestmark = pytest.mark.django_db


def reply_with(issue_id, *files):
    return staff_client().post(
        f"/staff/issues/{issue_id}/reply/",
        {
            "body": "The log you asked for.",
            "visibility": "public",
            "follow_up": "send",
            "expected_version": IssueRecord.objects.get(id=issue_id).version,
            "files": list(files),
        },
    )


class When_staff_attach_a_file_whose_name_holds_quotes:
    def given_an_assigned_issue(self):
        self.issue_id = issue_in("assigned")

    def because_the_browser_sends_its_name_percent_encoded(self):
        reply_with(self.issue_id, upload("the %22final%22 log.txt", b"lines\n"))

    def it_should_keep_the_name_the_file_has(self):
        stored = AttachmentRecord.objects.get(issue_id=self.issue_id)
        expect(stored.filename).to(equal('the "final" log.txt'))

    def it_should_show_that_name_on_the_issue_page(self):
        html = staff_client().get(f"/staff/issues/{self.issue_id}/").content.decode()
        expect(html).to(contain("the &quot;final&quot; log.txt"))


class When_a_name_holds_line_breaks_and_other_percent_signs:
    def because_it_is_read(self):
        self.name = name_sent("100%25 sure%0D%0Aof it %2F %22q%22.txt")

    def it_should_decode_only_the_three_escapes_browsers_make(self):
        expect(self.name).to(equal('100%25 sureof it %2F "q".txt'))


class When_a_file_with_quotes_in_its_name_breaks_a_limit:
    def given_the_upload_limits(self):
        self.handler = LimitedUploads(limits=AttachmentLimits(max_file_bytes=3))
        self.handler.new_file("files", "big %22one%22.bin", "application/octet-stream", None)

    def because_more_arrives_than_a_file_may_hold(self):
        with contextlib.suppress(StopUpload):  # the parser's signal; the refusal is kept
            self.handler.receive_data_chunk(b"four", 0)

    def it_should_name_the_file_as_it_is_called(self):
        expect(self.handler.refusal).to(be_a(InvalidInput))
        expect(str(self.handler.refusal.errors["files"][0])).to(contain('big "one".bin'))
