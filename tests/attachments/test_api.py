"""Attachments over the API: multipart reports and comments, POST .../attachments/, downloads,
the limits, and the bad input of issue 12: each a clear 400 or a safe download, never a 500,
never a half-written issue or a file left behind."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from issues_adapters.persistence.models import AttachmentRecord, IssueRecord
from tests.api.contexts import A_REPORT, ISSUES
from tests.attachments.support import png_bytes, sha256, stored_bytes, stored_names, upload

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
TEXT = b"Error 0x80070005 on line 3.\n" * 20


def staff() -> APIClient:
    user, _ = get_user_model().objects.get_or_create(
        username="alice", defaults={"is_staff": True, "is_active": True}
    )
    client = APIClient()
    client.force_authenticate(user)
    return client


def report_with(*files, client=None, **fields):
    return (client or APIClient()).post(
        ISSUES, A_REPORT | fields | {"files": list(files)}, format="multipart"
    )


def test_a_report_with_files_answers_each_files_metadata():
    image = png_bytes()
    response = report_with(
        upload("screen.png", image, "image/png"),
        upload("log.txt", TEXT, "text/plain"),
        upload("manual.pdf", PDF, "application/pdf"),
    )

    assert response.status_code == 201, response.content
    files = response.json()["attachments"]
    assert [(f["filename"], f["content_type"], f["size"]) for f in files] == [
        ("screen.png", "image/png", len(image)),
        ("log.txt", "text/plain", len(TEXT)),
        ("manual.pdf", "application/pdf", len(PDF)),
    ]
    assert files[0]["sha256"] == sha256(image)
    assert files[0]["url"].endswith(f"/api/attachments/{files[0]['id']}/")
    assert {f["comment_id"] for f in files} == {None}
    assert stored_bytes(files[1]["id"]) == TEXT


def test_the_type_comes_from_the_content_not_the_client():
    response = report_with(
        upload("cat.png", b"<html><script>alert(1)</script></html>", "image/png")
    )

    (file,) = response.json()["attachments"]
    assert file["content_type"] == "text/html"


def test_staff_download_a_file_as_an_attachment_with_safe_headers():
    file = report_with(upload("log.txt", TEXT, "text/plain")).json()["attachments"][0]

    response = staff().get(file["url"])

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == TEXT
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="log.txt"' in response["Content-Disposition"]
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Content-Length"] == str(len(TEXT))


def test_an_allow_listed_image_is_shown_inline_and_html_never_is():
    image = report_with(upload("a.png", png_bytes(), "image/png")).json()["attachments"][0]
    html = report_with(upload("b.png", b"<html><body>hi</body></html>")).json()["attachments"][0]

    shown, downloaded = staff().get(image["url"]), staff().get(html["url"])

    assert shown["Content-Disposition"].startswith("inline;")
    assert shown["Content-Type"] == "image/png"
    assert downloaded["Content-Disposition"].startswith("attachment;")
    assert downloaded["Content-Type"] == "application/octet-stream"


def test_only_staff_may_download_over_the_api():
    file = report_with(upload("log.txt", TEXT)).json()["attachments"][0]

    assert APIClient().get(file["url"]).status_code == 401
    assert staff().get("/api/attachments/not-a-uuid/").status_code == 404


def test_a_file_over_the_limit_is_refused_by_name_and_nothing_is_kept(settings):
    settings.HELPDESK_ATTACHMENTS_MAX_FILE_BYTES = 1000
    before = stored_names()

    response = report_with(upload("small.txt", b"x" * 10), upload("big.log", b"y" * 5000))

    assert response.status_code == 400
    (message,) = response.json()["files"]
    assert "big.log" in message and "1,000 bytes" in message
    assert not IssueRecord.objects.exists()
    assert stored_names() == before


def test_a_message_over_its_total_is_refused(settings):
    settings.HELPDESK_ATTACHMENTS_MAX_MESSAGE_BYTES = 3000

    response = report_with(*(upload(f"part{n}.bin", b"z" * 1200) for n in range(3)))

    assert response.status_code == 400
    assert "part2.bin" in response.json()["files"][0]
    assert not IssueRecord.objects.exists()


def test_too_many_files_are_refused(settings):
    settings.HELPDESK_ATTACHMENTS_MAX_FILES = 2

    response = report_with(*(upload(f"{n}.txt", b"a") for n in range(3)))

    assert response.status_code == 400
    assert "At most 2 files" in response.json()["files"][0]


def test_an_empty_file_is_refused():
    response = report_with(upload("empty.txt", b""))

    assert response.status_code == 400
    assert "empty" in response.json()["files"][0]
    assert not IssueRecord.objects.exists()


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\fred\\report.txt", "report.txt"),
        ("evil\u202egnp.exe", "evilgnp.exe"),
        ("nul\x00byte.txt", "nulbyte.txt"),
        ("a" * 500 + ".txt", "a" * 196 + ".txt"),
    ],
)
def test_a_hostile_name_is_stored_as_a_plain_name(sent, kept):
    response = report_with(upload(sent, b"data"))

    assert response.status_code == 201, response.content
    assert response.json()["attachments"][0]["filename"] == kept


def test_a_refused_report_leaves_no_file_behind():
    before = stored_names()

    response = report_with(upload("log.txt", TEXT), reporter_email="not an address")

    assert response.status_code == 400
    assert stored_names() == before
    assert not AttachmentRecord.objects.exists()


def test_a_multipart_body_cut_off_is_a_400():
    boundary = "XyZ"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="reporter_name"\r\n\r\nFred\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n'
        "Content-Type: text/plain\r\n\r\nhalf a fi"
    ).encode()

    response = APIClient().generic(
        "POST", ISSUES, body, content_type=f"multipart/form-data; boundary={boundary}"
    )

    assert response.status_code == 400
    assert not IssueRecord.objects.exists()


def test_staff_comment_with_files_and_attach_files_alone():
    issue = report_with().json()
    client = staff()

    commented = client.post(
        f"{ISSUES}{issue['id']}/comments/",
        {"body": "Logs attached.", "visibility": "internal", "files": [upload("a.log", TEXT)]},
        format="multipart",
    )
    attached = client.post(
        f"{ISSUES}{issue['id']}/attachments/",
        {"files": [upload("b.png", png_bytes(), "image/png")]},
        format="multipart",
    )
    nothing = client.post(f"{ISSUES}{issue['id']}/attachments/", {}, format="multipart")

    assert commented.status_code == 201
    (note_file,) = commented.json()["attachments"]
    assert (note_file["filename"], note_file["visibility"]) == ("a.log", "internal")
    assert note_file["comment_id"] == commented.json()["comments"][0]["id"]
    assert attached.status_code == 201
    assert [f["filename"] for f in attached.json()["attachments"]] == ["b.png"]
    assert attached.json()["attachments"][0]["visibility"] == "public"
    assert nothing.status_code == 400 and "files" in nothing.json()


def test_files_on_a_closed_issue_are_refused_and_not_kept():
    from tests.web.support import issue_in

    issue_id = issue_in("closed")
    before = stored_names()

    response = staff().post(
        f"{ISSUES}{issue_id}/attachments/", {"files": [upload("a.txt", b"a")]}, format="multipart"
    )

    assert response.status_code == 409
    assert stored_names() == before


def test_json_reports_still_work_and_carry_no_attachments():
    response = APIClient().post(ISSUES, A_REPORT, format="json")

    assert response.status_code == 201
    assert response.json()["attachments"] == []


def test_an_empty_multipart_body_is_a_400_naming_the_missing_fields():
    response = APIClient().generic(
        "POST", ISSUES, b"", content_type="multipart/form-data; boundary=XyZ"
    )

    assert response.status_code == 400
    assert "reporter_email" in response.json()
    assert not IssueRecord.objects.exists()
