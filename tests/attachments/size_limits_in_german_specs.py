"""A file refused for its size names the limit the way the reader writes numbers: "1,5 MB" in
German, as the files' own sizes are shown ("9,1 MB"), and a whole limit without a decimal
("2 MB", not "2.0 MB")."""

import pytest
from django.test import override_settings
from expects import contain, expect

from issues_adapters.persistence.models import IssueRecord
from tests.attachments.support import upload
from tests.web.refusals_in_german_specs import a_german_staff_client
from tests.web.support import issue_in

pytestmark = pytest.mark.django_db

LIMITS = {
    "HELPDESK_ATTACHMENTS_MAX_FILE_BYTES": 1_500_000,
    "HELPDESK_ATTACHMENTS_MAX_MESSAGE_BYTES": 2_000_000,
}


def replied_with(client, issue_id, *files) -> str:
    reply = {
        "body": "Die Protokolle.",
        "visibility": "internal",
        "follow_up": "send",
        "expected_version": IssueRecord.objects.get(id=issue_id).version,
        "files": list(files),
    }
    with override_settings(**LIMITS):
        response = client.post(f"/staff/issues/{issue_id}/reply/", reply, follow=True)
    return response.content.decode()


class When_a_german_staff_member_attaches_a_file_over_the_limit:
    def given_an_issue(self):
        self.client, self.issue_id = a_german_staff_client(), issue_in("assigned")

    def because_she_attaches_a_file_of_1_6_megabytes(self):
        big = upload("big.bin", b"x" * 1_600_000)
        self.html = replied_with(self.client, self.issue_id, big)

    def it_should_name_the_limit_with_a_decimal_comma(self):
        expect(self.html).to(contain("„big.bin“ ist größer als 1,5 MB, die Grenze für eine Datei."))


class When_a_german_staff_member_attaches_files_over_the_limit_for_a_message:
    def given_an_issue(self):
        self.client, self.issue_id = a_german_staff_client(), issue_in("assigned")

    def because_she_attaches_two_files_of_1_2_megabytes(self):
        files = [upload(f"part-{n}.bin", b"x" * 1_200_000) for n in (1, 2)]
        self.html = replied_with(self.client, self.issue_id, *files)

    def it_should_name_a_whole_limit_without_a_decimal(self):
        expect(self.html).to(contain("zusammen größer als 2 MB, die Grenze für eine Nachricht."))
