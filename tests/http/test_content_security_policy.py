"""Every response carries a strict Content-Security-Policy, and no page template needs more.

tests/browser/test_content_security_policy.py shows the browser refuses nothing on the main
pages; this also covers the templates no browser test opens (the error pages, the
confirmation).
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db

PAGE_TEMPLATES = [
    path
    for folder in ("templates", "jinja_templates")
    for path in (Path(settings.BASE_DIR) / folder).rglob("*.html")
    if "email" not in path.parts  # mail is not a page: a mail reader applies no CSP
]
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>"  # a script without src
    r"|<style\b"  # a style element
    r"|\sstyle\s*="  # a style attribute
    r"|\son[a-z]+\s*="  # an event handler attribute
    r"|javascript:",
    re.IGNORECASE,
)


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/track/nope/", "/api/issues/"])
def test_every_response_carries_the_policy(path):
    policy = Client().get(path)["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy


@pytest.mark.parametrize("template", PAGE_TEMPLATES, ids=lambda path: path.name)
def test_no_page_template_has_inline_script_or_style(template):
    assert INLINE.findall(template.read_text()) == []


def test_a_view_that_sets_its_own_policy_keeps_it():
    from django.http import HttpResponse
    from django.test import RequestFactory

    from issues_adapters.http.content_security_policy import ContentSecurityPolicy

    def view(request):
        return HttpResponse(headers={"Content-Security-Policy": "sandbox"})

    response = ContentSecurityPolicy(view)(RequestFactory().get("/"))
    assert response["Content-Security-Policy"] == "sandbox"
