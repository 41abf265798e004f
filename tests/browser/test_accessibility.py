"""axe-core (bundled in the axe-playwright-python package, no CDN) on the main pages.

Fails on violations of the serious and critical kind; lesser findings are printed.
"""

import pytest

from issues_adapters.canned_replies.models import CannedReplyRecord
from issues_adapters.wiring import message_bus
from issues_domain import commands
from issues_domain.values import Actor
from tests.browser.support import log_in, make_staff
from tests.web.support import comment, issue_in, report, token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SERIOUS = {"serious", "critical"}


def _axe():
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        pytest.skip("axe-playwright-python (which bundles axe-core) is not installed")
    return Axe()


def _serious_violations(axe, page) -> list[str]:
    violations = axe.run(page).response["violations"]
    for violation in violations:
        if violation["impact"] not in SERIOUS:
            print(f"{page.url}: {violation['impact']} {violation['id']}: {violation['help']}")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in SERIOUS
    ]


# The page's background: dark in the dark theme, light in the light one.
BACKGROUND_IS_DARK = """() => {
    const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number);
    return r + g + b < 3 * 128;
}"""


def _tagged_linked_and_merged(issue_id):
    """Tags, a link, a canned reply to pick and a merged duplicate: every panel shows."""
    bus, alice = message_bus(), Actor.staff("alice")
    CannedReplyRecord.objects.create(title="Thanks", body="Hi {reporter_name}", updated_by="a")
    bus.handle(commands.TagIssue(issue_id=issue_id, add=("printer", "floor-2"), actor=alice))
    related, duplicate = report(), report()
    bus.handle(commands.LinkIssues(issue_id=issue_id, other=str(related), actor=alice))
    bus.handle(commands.MergeIssue(issue_id=duplicate, into=str(issue_id), actor=alice))
    return duplicate


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_main_pages_have_no_serious_accessibility_violations(live_server, new_page, theme):
    axe = _axe()
    base = live_server.url
    make_staff("alice")
    issue_id = issue_in("assigned")
    comment(issue_id, "A public reply.")
    comment(issue_id, "An internal note.", visibility="internal")
    duplicate = _tagged_linked_and_merged(issue_id)
    public = new_page(color_scheme=theme)
    staff = new_page(color_scheme=theme)
    log_in(staff, base, "alice")
    staff.locator("#queue tbody input[name=issues]").first.check()  # the bulk panel too
    pages = [
        (public, "/"),
        (public, "/accounts/login/"),
        (public, f"/track/{token(issue_id)}/"),
        (public, f"/track/{token(duplicate)}/"),
        (public, "/no/such/page/"),
        (staff, "/staff/"),
        (staff, f"/staff/issues/{issue_id}/"),
        (staff, f"/staff/issues/{duplicate}/"),
        (staff, "/staff/canned-replies/"),
    ]
    found = {}
    for page, path in pages:
        if page.url != base + path:
            page.goto(base + path)
        assert page.evaluate(BACKGROUND_IS_DARK) == (theme == "dark"), path
        violations = _serious_violations(axe, page)
        if violations:
            found[path] = violations
    assert found == {}


def test_the_pages_work_on_a_phone_sized_screen(live_server, new_page, screenshot):
    base = live_server.url
    make_staff("alice")
    issue_id = issue_in("assigned")
    phone = new_page(width=390, height=844)
    width = "document.documentElement.scrollWidth"
    # Nothing wider than the screen on any page: no sideways scrolling of the whole page.
    phone.goto(base + "/")
    screenshot(phone, "08-phone-report-form")
    assert phone.evaluate(width) <= 390
    log_in(phone, base, "alice")
    screenshot(phone, "09-phone-queue")
    assert phone.evaluate(width) <= 390
    phone.goto(f"{base}/staff/issues/{issue_id}/")
    screenshot(phone, "10-phone-issue-page")
    assert phone.evaluate(width) <= 390
