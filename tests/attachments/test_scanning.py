"""The optional virus scan, against a tiny fake clamd speaking clamd's INSTREAM protocol over
a Unix socket, which can record what it was sent (test_real_clamd.py runs the real daemon):
the EICAR test file is refused by name and not kept; a clean file passes whole; an
unreachable clamd refuses the upload rather than letting an unchecked file through."""

import socket
import struct
import threading

import pytest

from issues_adapters.persistence.models import IssueRecord
from tests.attachments.support import report_with, stored_names, upload

pytestmark = pytest.mark.django_db

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class FakeClamd:
    """Answers each INSTREAM with `stream: OK` or, when the EICAR string is in it, FOUND."""

    def __init__(self, path: str):
        self.path, self.streams = path, []
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(path)
        self.server.listen(8)
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            with connection:
                self._answer(connection)

    def _answer(self, connection):
        stream = connection.makefile("rb")
        if stream.read(10) != b"zINSTREAM\0":
            connection.sendall(b"UNKNOWN COMMAND\0")
            return
        data = b""
        while True:
            header = stream.read(4)
            if len(header) < 4:
                return  # the client gave up
            (length,) = struct.unpack("!L", header)
            if length == 0:
                break
            data += stream.read(length)
        self.streams.append(data)
        found = EICAR in data
        connection.sendall(b"stream: Eicar-Test-Signature FOUND\0" if found else b"stream: OK\0")

    def close(self):
        self.server.close()


@pytest.fixture
def clamd(tmp_path, settings):
    fake = FakeClamd(str(tmp_path / "clamd.ctl"))
    settings.HELPDESK_CLAMD_SOCKET = fake.path
    yield fake
    fake.close()


def test_the_eicar_file_is_refused_by_name_and_nothing_is_kept(clamd):
    before = stored_names()

    response = report_with(upload("clean.txt", b"hello"), upload("eicar.com", EICAR))

    assert response.status_code == 400
    assert response.json()["files"] == [
        "“eicar.com” was refused: the virus scanner found Eicar-Test-Signature."
    ]
    assert not IssueRecord.objects.exists()
    assert stored_names() == before


def test_a_clean_file_is_scanned_whole_and_kept(clamd):
    response = report_with(upload("clean.txt", b"hello " * 30_000))

    assert response.status_code == 201
    assert clamd.streams == [b"hello " * 30_000]


def test_without_clamd_an_upload_is_refused_not_let_through(settings, tmp_path):
    settings.HELPDESK_CLAMD_SOCKET = str(tmp_path / "nobody-listens.ctl")

    response = report_with(upload("clean.txt", b"hello"))

    assert response.status_code == 400
    assert "could not be checked for viruses" in response.json()["files"][0]
    assert not IssueRecord.objects.exists()
