"""Issue 12 in a real Chromium: a reporter attaches a screenshot on the form; staff see it (with
its thumbnail) and add an internal note with a file (the issue page's composer); the reporter
sees their screenshot and the public files only, never the note's."""

import re

import pytest
from playwright.sync_api import expect

from tests.attachments.support import png_bytes
from tests.browser.support import log_in, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_files_from_the_form_reach_staff_and_an_internal_notes_file_never_the_reporter(
    live_server, new_page, screenshot
):
    base = live_server.url
    make_staff("alice")

    reporter = new_page()
    reporter.goto(base + "/")
    reporter.get_by_label("Your name").fill("Fred Bloggs")
    reporter.get_by_label("Your email address").fill("fred@example.org")
    reporter.get_by_label("Subject").fill("Screen goes black")
    reporter.get_by_label("What is the problem?").fill("When I dock the laptop. Photo attached.")
    reporter.get_by_label("Attach files (optional)").set_input_files(
        [{"name": "screen.png", "mimeType": "image/png", "buffer": png_bytes((300, 200))}]
    )
    reporter.get_by_role("button", name="Send report").click()
    reference = reporter.locator("#reference").inner_text()
    reporter.locator("#tracking-link").click()
    tracking_url = reporter.url
    expect(reporter.get_by_role("link", name="screen.png")).to_be_visible()

    staff = new_page()
    log_in(staff, base, "alice")
    staff.get_by_role("link", name=reference).click()
    expect(staff.locator("#subject")).to_have_text("Screen goes black")
    expect(staff.get_by_role("link", name="screen.png")).to_be_visible()
    thumbnail = staff.locator("img.thumbnail")
    expect(thumbnail).to_be_visible()
    # Visible is not loaded yet (the thumbnail loads lazily): wait for its bytes, then measure.
    image = thumbnail.element_handle()
    staff.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image)
    assert staff.evaluate("img => img.naturalWidth", image) == 240
    note = staff.locator("#composer-form")
    note.get_by_label("Reply or note").fill("Driver dump attached; do not share.")
    note.get_by_label("Internal note: staff only").check()
    note.get_by_label("Attach files (optional)").set_input_files(
        [{"name": "driver-dump.txt", "mimeType": "text/plain", "buffer": b"secret dump"}]
    )
    note.get_by_role("button", name="Send", exact=True).click()
    expect(staff.locator("#timeline li.internal")).to_contain_text("driver-dump.txt")
    dump_href = staff.get_by_role("link", name="driver-dump.txt").get_attribute("href")
    screenshot(staff, "12-staff-attachments")

    reporter.goto(tracking_url)
    expect(reporter.get_by_role("link", name="screen.png")).to_be_visible()
    expect(reporter.locator("body")).not_to_contain_text("driver-dump.txt")
    dump_id = re.search(r"attachments/([0-9a-f-]+)/", dump_href).group(1)
    answer = reporter.request.get(f"{tracking_url}attachments/{dump_id}/")
    assert answer.status == 404
    screenshot(reporter, "12-reporter-attachments")
