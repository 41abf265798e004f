"""Idempotency-Key and files: a retry with the same file replays; the same key with a changed
file of the same name and size is a different request, refused with 422."""

import pytest
from expects import equal, expect

from issues_adapters.persistence.models import AttachmentRecord
from tests.api.contexts import With_a_reported_issue, issue_url
from tests.attachments.support import sha256, upload

FIRST = b"version-1 AAAA"
CHANGED = b"version-2 BBBB"  # as long as FIRST


class With_a_file_attached_with_a_key(With_a_reported_issue):
    def given_report_txt_attached_with_key_k(self):
        self.first = self.attach(FIRST)

    def attach(self, content: bytes):
        return self.client.post(
            issue_url(self.issue_id, "attachments"),
            {"files": [upload("report.txt", content, "text/plain")]},
            format="multipart",
            HTTP_IDEMPOTENCY_KEY="K",
        )


@pytest.mark.django_db
class When_the_same_file_is_sent_again_with_its_key(With_a_file_attached_with_a_key):
    def because_the_request_is_retried(self):
        self.retry = self.attach(FIRST)

    def it_should_replay_the_first_answer(self):
        expect((self.retry.status_code, self.retry["Idempotent-Replayed"])).to(equal((201, "true")))
        expect(self.retry.json()).to(equal(self.first.json()))

    def it_should_keep_the_file_once(self):
        expect(AttachmentRecord.objects.count()).to(equal(1))


@pytest.mark.django_db
class When_a_changed_file_of_the_same_name_and_size_is_sent_with_the_key(
    With_a_file_attached_with_a_key
):
    def because_the_changed_file_is_sent(self):
        self.second = self.attach(CHANGED)

    def it_should_refuse_it_with_422(self):
        expect((self.second.status_code, self.second.json()["code"])).to(
            equal((422, "idempotency_key_reused"))
        )

    def it_should_keep_only_the_first_file(self):
        expect(list(AttachmentRecord.objects.values_list("sha256", flat=True))).to(
            equal([sha256(FIRST)])
        )


@pytest.mark.django_db
class When_more_files_than_a_message_takes_are_sent_with_a_key(With_a_reported_issue):
    """The upload limits close the files past them before the key's fingerprint is taken."""

    def because_sixteen_files_are_sent(self):
        files = [upload(f"part{n}.txt", b"x", "text/plain") for n in range(16)]
        self.answer = self.client.post(
            issue_url(self.issue_id, "attachments"),
            {"files": files},
            format="multipart",
            HTTP_IDEMPOTENCY_KEY="many",
        )

    def it_should_refuse_them_with_the_file_limit(self):
        expect((self.answer.status_code, list(self.answer.json()))).to(equal((400, ["files"])))
