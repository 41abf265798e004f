"""The optional virus scan against a real clamd (tests/support/clamd.py says how it runs
here without the internet): the EICAR test file is refused by name and not kept, a clean file
of several INSTREAM chunks passes and is kept."""

import pytest

from issues_adapters.persistence.models import AttachmentRecord, IssueRecord
from tests.attachments.support import report_with, stored_names, upload
from tests.support.clamd import EICAR, SIGNATURE, require_clamd, running_clamd

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def clamd_socket(tmp_path_factory):
    require_clamd()
    yield from running_clamd(tmp_path_factory.mktemp("clamd"))


@pytest.fixture
def scanned(clamd_socket, settings):
    settings.HELPDESK_CLAMD_SOCKET = clamd_socket


def test_the_eicar_file_is_refused_by_name_and_nothing_is_kept(scanned):
    before = stored_names()

    response = report_with(upload("clean.txt", b"hello"), upload("eicar.com", EICAR))

    assert response.status_code == 400
    assert response.json()["files"] == [
        # clamd marks a signature of a database of one's own as UNOFFICIAL.
        f"“eicar.com” was refused: the virus scanner found {SIGNATURE}.UNOFFICIAL."
    ]
    assert not IssueRecord.objects.exists()
    assert stored_names() == before


def test_a_clean_file_is_scanned_and_kept(scanned):
    response = report_with(upload("notes.txt", b"nothing to see here\n" * 20_000))

    assert response.status_code == 201
    assert AttachmentRecord.objects.get().filename == "notes.txt"
