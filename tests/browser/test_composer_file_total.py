"""The composer in a real Chromium refuses files whose total is over the message's limit before
sending (the server would refuse such a body unread, and could keep nothing of it): it says
so, naming the limit, and the typed reply stays; within the limit it sends as before."""

import pytest
from playwright.sync_api import expect

from issues_adapters.persistence.models import CommentRecord
from tests.browser.support import log_in, make_staff
from tests.web.support import issue_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEGABYTE = b"x" * 1_000_000


def a_file(name: str, megabytes: float) -> dict:
    size = int(megabytes * 1_000_000)
    return {"name": name, "mimeType": "application/pdf", "buffer": (MEGABYTE * 2)[:size]}


def test_files_over_the_message_limit_are_refused_before_sending(
    live_server, new_page, screenshot, settings
):
    settings.HELPDESK_ATTACHMENTS_MAX_MESSAGE_BYTES = 2_000_000
    base = live_server.url
    make_staff("alice")
    issue_id = issue_in("assigned")
    page = new_page()
    log_in(page, base, "alice")
    page.goto(f"{base}/staff/issues/{issue_id}/")
    composer = page.locator("#composer-form")
    composer.get_by_label("Reply or note").fill("Both manuals attached.")
    attach = composer.get_by_label("Attach files (optional)")
    attach.set_input_files([a_file("manual-1.pdf", 1.2), a_file("manual-2.pdf", 1.2)])
    loads = []
    page.on("load", lambda _page: loads.append(page.url))

    composer.get_by_role("button", name="Send", exact=True).click()

    refusal = page.locator("#composer-too-large")
    expect(refusal).to_be_visible()
    expect(refusal).to_contain_text("more than 2 MB, the most one message may carry")
    expect(attach).to_be_focused()
    expect(composer.get_by_label("Reply or note")).to_have_value("Both manuals attached.")
    screenshot(page, "composer-files-over-the-limit")
    assert loads == []
    assert not CommentRecord.objects.filter(issue_id=issue_id).exists()

    attach.set_input_files([a_file("manual-1.pdf", 1.2)])
    expect(refusal).to_be_hidden()
    composer.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("#timeline")).to_contain_text("manual-1.pdf")
    assert CommentRecord.objects.filter(issue_id=issue_id).count() == 1
