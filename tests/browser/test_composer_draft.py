"""The composer in a real Chromium keeps the reply being typed while the side panel's forms are
used (each one loads the page anew), whether the form is accepted or refused, with its
public/internal choice; a sent reply does not come back, one whose send failed does (however
the issue changed meanwhile), a draft stays on its own issue and with its own author, and
leaving the page with unsent text asks first (a side form does not)."""

import pytest
from playwright.sync_api import expect

from issues_adapters.wiring import message_bus
from issues_domain import commands
from issues_domain.values import Actor
from tests.browser.support import log_in, make_staff
from tests.web.support import issue_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DRAFT = "Half-written: the toner was swapped, and the jams stopped on"


def composer_text(page):
    return page.locator("#composer-body")


def test_the_side_panel_keeps_the_reply_being_typed_until_it_is_sent(
    live_server, new_page, screenshot
):
    base = live_server.url
    make_staff("alice")
    issue_a, issue_b = issue_in("assigned"), issue_in("assigned")
    page = new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    log_in(page, base, "alice")
    page.goto(f"{base}/staff/issues/{issue_a}/")
    composer_text(page).fill(DRAFT)
    page.locator("#composer-form").get_by_label("Internal note: staff only").check()

    # Accepted: the tag is added, the page loads anew.
    page.get_by_label("Add tags").fill("toner")
    page.get_by_role("button", name="Add tags").click()
    expect(page.locator(".messages")).to_contain_text("Tags saved.")
    expect(composer_text(page)).to_have_value(DRAFT)
    expect(page.locator("#composer-form").get_by_label("Internal note: staff only")).to_be_checked()

    # Refused: there is no such issue to link to.
    page.get_by_label("Link to issue (reference)").fill("HD-99999")
    page.get_by_role("button", name="Link", exact=True).click()
    expect(page.locator("#link-errors, #refusal").first).to_be_visible()
    expect(composer_text(page)).to_have_value(DRAFT)
    expect(page.locator("#composer-form").get_by_label("Internal note: staff only")).to_be_checked()
    screenshot(page, "composer-draft-after-a-refused-link")

    # The keyboard's `a` sends the side panel's assign form (refused: she has it already).
    refused_link = page.url
    page.locator("h1").click()
    page.keyboard.press("a")
    page.wait_for_url(lambda url: url != refused_link)
    expect(page.locator("#refusal")).to_be_visible()
    expect(composer_text(page)).to_have_value(DRAFT)
    assert dialogs == []  # the side panel's forms did not ask whether to leave

    # Another issue's composer is its own (leaving with the draft asked first).
    page.goto(f"{base}/staff/issues/{issue_b}/")
    assert dialogs == ["beforeunload"]
    expect(composer_text(page)).to_have_value("")
    page.goto(f"{base}/staff/issues/{issue_a}/")
    expect(composer_text(page)).to_have_value(DRAFT)

    # Sent: it is in the timeline, and the composer is empty, also after a reload.
    composer_text(page).fill(DRAFT + " Monday.")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("#timeline")).to_contain_text(DRAFT + " Monday.")
    expect(composer_text(page)).to_have_value("")
    page.reload()
    expect(composer_text(page)).to_have_value("")
    assert dialogs == ["beforeunload"]  # the send did not ask either


def test_leaving_with_unsent_text_asks_first(live_server, new_page):
    base = live_server.url
    make_staff("alice")
    issue_id = issue_in("assigned")
    page = new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    log_in(page, base, "alice")
    page.goto(f"{base}/staff/issues/{issue_id}/")
    composer_text(page).fill(DRAFT)
    page.get_by_role("link", name="← Queue").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.url == f"{base}/staff/issues/{issue_id}/"  # stayed: the dialog was dismissed


def test_a_draft_is_never_shown_to_whoever_signs_in_next(live_server, new_page):
    base = live_server.url
    make_staff("alice")
    make_staff("bob")
    issue_id = issue_in("assigned")
    page = new_page()
    log_in(page, base, "alice")
    page.goto(f"{base}/staff/issues/{issue_id}/")
    composer_text(page).fill(DRAFT)
    page.get_by_role("button", name="Log out").click()
    log_in(page, base, "bob")
    page.goto(f"{base}/staff/issues/{issue_id}/")
    expect(composer_text(page)).to_have_value("")
    assert "composer-draft" not in page.evaluate("Object.keys(sessionStorage).join(' ')")


def refused_for_its_token(page, base):
    """As after the session ended and another tab signed in: the form's CSRF token is old."""
    page.context.add_cookies([{"name": "csrftoken", "value": "a" * 32, "url": base}])


def answered_with_a_server_error(page, base):
    page.route("**/reply/", lambda route: route.fulfill(status=500, body="Server Error (500)"))


def lost_on_the_network(page, base):
    page.route("**/reply/", lambda route: route.abort("connectionreset"))


@pytest.mark.parametrize(
    "failure", [refused_for_its_token, answered_with_a_server_error, lost_on_the_network]
)
def test_a_send_that_failed_keeps_the_draft_after_someone_else_changed_the_issue(
    live_server, new_page, failure
):
    base = live_server.url
    make_staff("alice")
    issue_id = issue_in("assigned")
    page = new_page()
    log_in(page, base, "alice")
    page.goto(f"{base}/staff/issues/{issue_id}/")
    composer_text(page).fill(DRAFT)
    failure(page, base)
    ended = "requestfailed" if failure == lost_on_the_network else "requestfinished"
    with page.expect_event(ended):
        page.get_by_role("button", name="Send", exact=True).click()
    page.wait_for_load_state()
    message_bus().handle(
        commands.TagIssue(issue_id=issue_id, add=("toner",), actor=Actor.staff("bob"))
    )
    page.unroute_all()
    page.goto(f"{base}/staff/issues/{issue_id}/")
    expect(page.locator("#timeline")).not_to_contain_text(DRAFT)
    expect(composer_text(page)).to_have_value(DRAFT)


def drafts_in_the_tab(page) -> list[str]:
    return page.evaluate(
        "Object.keys(sessionStorage).filter((name) => name.includes('composer-draft'))"
    )


def test_logging_out_drops_the_drafts_from_the_tab(live_server, new_page):
    base = live_server.url
    make_staff("alice")
    issue_a, issue_b = issue_in("assigned"), issue_in("assigned")
    page = new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, base, "alice")
    page.goto(f"{base}/staff/issues/{issue_a}/")
    composer_text(page).fill(DRAFT)
    page.goto(f"{base}/staff/issues/{issue_b}/")
    composer_text(page).fill(DRAFT + " Monday.")

    # From an issue page, with a draft in its composer.
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{base}/accounts/login/")
    assert drafts_in_the_tab(page) == []

    # From the queue, with a draft left on an issue page.
    log_in(page, base, "alice")
    page.goto(f"{base}/staff/issues/{issue_a}/")
    composer_text(page).fill(DRAFT)
    page.get_by_role("link", name="← Queue").click()
    page.wait_for_url(f"{base}/staff/")
    assert len(drafts_in_the_tab(page)) == 1
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{base}/accounts/login/")
    assert drafts_in_the_tab(page) == []
