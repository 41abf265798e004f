"""Every page runs under a strict Content-Security-Policy without the browser refusing anything.

A page that still had an inline script or style, or loaded something from elsewhere, would
show a `securitypolicyviolation` event and a "Refused to ..." console error in Chromium; either
fails the test.
"""

import pytest
from django.contrib.auth import get_user_model

from tests.browser.support import PASSWORD, log_in, make_staff
from tests.web.support import comment, issue_in, token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any script of the page; Playwright's own scripts are not subject to the policy.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective}: ${event.blockedURI || "inline"}`);
});
"""


def watched(page, refusals: list[str]):
    page.add_init_script(LISTEN)
    page.on(
        "console",
        lambda message: (
            refusals.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return page


def test_no_page_makes_the_browser_refuse_anything(live_server, new_page):
    base = live_server.url
    make_staff("alice")
    admin = get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    assert admin.is_staff
    issue_id = issue_in("assigned")
    comment(issue_id, "A public reply.")
    refusals: list[str] = []
    public = watched(new_page(), refusals)
    staff = watched(new_page(), refusals)
    superuser = watched(new_page(), refusals)
    log_in(staff, base, "alice")
    superuser.goto(f"{base}/admin/login/")
    superuser.get_by_label("Username").fill("root")
    superuser.get_by_label("Password").fill(PASSWORD)
    superuser.get_by_role("button", name="Log in").click()
    superuser.wait_for_url(f"{base}/admin/")
    pages = [
        (public, "/"),
        (public, "/accounts/login/"),
        (public, f"/track/{token(issue_id)}/"),
        (public, "/track/no-such-token/"),
        (public, "/api/docs/"),
        (staff, "/staff/"),
        (staff, f"/staff/issues/{issue_id}/"),
        (staff, "/staff/deliveries/"),
        (superuser, "/staff/projections/"),
        (superuser, "/admin/"),
        (superuser, "/admin/auth/user/"),
        (superuser, f"/admin/auth/user/{admin.pk}/change/"),
    ]
    for page, path in pages:
        response = page.goto(base + path)
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("networkidle")
        refusals += [f"{path}: {v}" for v in page.evaluate("window.__cspViolations")]
    assert refusals == [], "\n".join(refusals)
    # The staff pages' own script: the keyboard help opens, so it ran.
    staff.goto(f"{base}/staff/")
    staff.keyboard.press("?")
    assert staff.get_by_role("dialog").is_visible()
    # The docs page's script: it rendered the operations from the schema.
    public.goto(f"{base}/api/docs/")
    public.get_by_text("/api/issues/").first.wait_for()
