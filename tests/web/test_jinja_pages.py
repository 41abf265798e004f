"""The issue page and the queue are rendered by Jinja2 (issues_adapters/web/jinja.py,
jinja_templates/): its copies of Django templates render what the Django ones render, its
translation tags what Django's render, it escapes what people typed, and it speaks the reader's
language."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import INFO
from django.contrib.messages.storage.cookie import CookieStorage
from django.template import engines
from django.test import RequestFactory
from django.utils import translation
from expects import contain, equal, expect, not_

from issues_adapters.web import forms
from issues_adapters.web.form_html import fields_html
from issues_domain.errors import InvalidInput
from tests.web.support import comment, issue_in, make_user, report, staff_client

pytestmark = pytest.mark.django_db

GERMAN_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "de-DE,de;q=0.9,en;q=0.5"}
HOSTILE = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
PAGE = (
    '{% extends "base.html" %}{% block title %}A title{% endblock %}'
    "{% block body_class %}page-x{% endblock %}{% block content %}<p>Content</p>{% endblock %}"
)


def in_both(source: str, context: dict, request=None) -> tuple[str, str]:
    """The same template source through Django's engine and through Jinja2's."""
    rendered = [
        engines[engine].from_string(source).render(context, request)
        for engine in ("django", "jinja2")
    ]
    return tuple(TOKEN.sub('name="csrfmiddlewaretoken" value="…"', html) for html in rendered)


def request_of(user):
    request = RequestFactory().get("/staff/")
    request.user = user
    request._messages = CookieStorage(request)
    request._messages.add(INFO, "<b>Saved</b> & done")
    return request


@pytest.mark.parametrize("language", ["en-gb", "de"])
@pytest.mark.parametrize("who", ["staff", "anonymous"])
def test_the_jinja2_base_layout_renders_what_the_django_one_renders(who, language):
    user = make_user("alice") if who == "staff" else AnonymousUser()
    with translation.override(language):
        django_html, jinja_html = in_both(PAGE, {}, request_of(user))
    expect(jinja_html).to(equal(django_html))
    expect(jinja_html).to(contain("&lt;b&gt;Saved&lt;/b&gt; &amp; done"))


def _form_fields(form) -> tuple[str, str]:
    django_html = (
        engines["django"]
        .from_string("{% include 'web/_form_fields.html' %}")
        .render({"form": form})
    )
    return django_html, str(fields_html(form))


@pytest.mark.parametrize("language", ["en-gb", "de"])
def test_the_jinja2_form_fields_render_what_the_django_include_renders(language):
    with translation.override(language):
        unbound = forms.TriageForm(
            initial={"expected_version": 3, "category": "b"}, categories=[("a", "A"), ("b", "B")]
        )
        bound = forms.ComposerForm({"body": HOSTILE, "visibility": "public"})
        bound.is_valid()
        bound.add_domain_errors(InvalidInput({"body": [HOSTILE]}))
        for form in (unbound, bound, forms.WatcherForm({"email": ""})):
            django_html, jinja_html = _form_fields(form)
            expect(jinja_html.strip()).to(equal(django_html.strip()))
        expect(_form_fields(bound)[1]).to(contain(ESCAPED))
        expect(_form_fields(bound)[1]).not_to(contain(HOSTILE))


@pytest.mark.parametrize("language", ["en-gb", "de"])
def test_the_jinja2_attach_field_renders_what_the_django_one_renders(language):
    source = "{% include 'web/_attach_field.html' %}"
    context = {
        "files_id": "id_reply_files",
        "attachment_limits": {"files": 5, "file_mb": 10, "message_mb": 25},
    }
    with translation.override(language):
        django_html = engines["django"].from_string(source).render(context)
        jinja_html = engines["jinja2"].get_template("web/_attach_field.html").render(context)
    expect(jinja_html.split("\n", 1)[1]).to(equal(django_html.split("\n", 1)[1]))


COUNTED = (
    "{% blocktranslate count counter=n %}The {{ counter }} issue matching this filter, on every "
    "page{% plural %}All {{ counter }} issues matching this filter, on every page"
    "{% endblocktranslate %}|{% blocktranslate with name=who count counter=n %}{{ name }}: "
    "{{ counter }} issue{% plural %}{{ name }}: {{ counter }} issues{% endblocktranslate %}"
)


@pytest.mark.parametrize("language", ["en-gb", "de"])
@pytest.mark.parametrize("n", [1, 3])
def test_a_counted_blocktranslate_renders_what_django_renders(language, n):
    context = {"n": n, "who": HOSTILE}
    with translation.override(language):
        django_html = engines["django"].from_string("{% load i18n %}" + COUNTED).render(context)
        jinja_html = engines["jinja2"].from_string(COUNTED).render(context)
    expect(jinja_html).to(equal(django_html))
    expect(jinja_html).to(contain(f"{ESCAPED}: {n} issue"))
    if language == "de" and n == 1:
        expect(jinja_html).to(contain("1 Anliegen, das zu diesem Filter passt"))


class When_staff_open_a_queue_full_of_hostile_text:
    def given_issues_whose_reporters_typed_markup(self):
        self.client = staff_client()
        for _ in range(26):  # more than a page: the "all matching" box is offered
            report(reporter_name=HOSTILE, subject=f"Subject {HOSTILE}", description=HOSTILE)

    def because_staff_search_and_filter_by_markup(self):
        self.listed = self.client.get("/staff/").text
        self.searched = self.client.get("/staff/", {"q": HOSTILE, "tag": HOSTILE}).text

    def it_should_escape_the_rows(self):
        expect(self.listed).to(contain(f"Subject {ESCAPED}"))
        expect(self.listed).not_to(contain(HOSTILE))

    def it_should_escape_the_search_and_the_tag_as_typed(self):
        expect(self.searched).to(contain(f'value="{ESCAPED}"'))
        expect(self.searched).to(contain(f'<span class="tag" id="tag-filter">{ESCAPED}</span>'))
        expect(self.searched).not_to(contain(HOSTILE))

    def it_should_count_the_matching_issues(self):
        expect(self.listed).to(contain("All 26 issues matching this filter, on every page"))


class When_staff_read_the_queue_in_german:
    def given_more_issues_than_a_page(self):
        for n in range(26):
            report(subject=f"Drucker {n}")
        self.client = staff_client()

    def because_they_open_the_queue_with_a_german_browser(self):
        self.page = self.client.get("/staff/", **GERMAN_BROWSER).text

    def it_should_translate_the_page_and_its_counted_messages(self):
        expect(self.page).to(contain('lang="de"'))
        expect(self.page).to(contain("Alle 26 Anliegen, die zu diesem Filter passen"))
        expect(self.page).to(contain("Nächste Seite"))
        expect(self.page).to(not_(contain("Next page")))


class When_staff_open_an_issue_full_of_hostile_text:
    def given_an_issue_whose_reporter_typed_markup_everywhere(self):
        self.client = staff_client()
        self.issue_id = issue_in(
            "assigned", reporter_name=HOSTILE, subject=f"Subject {HOSTILE}", description=HOSTILE
        )
        comment(self.issue_id, f"Comment {HOSTILE}")

    def because_staff_open_it_and_type_markup_as_a_tag(self):
        self.page = self.client.get(f"/staff/issues/{self.issue_id}/").text
        self.refused = self.client.post(
            f"/staff/issues/{self.issue_id}/tags/", {"add": HOSTILE}, follow=True
        ).text

    def it_should_escape_the_subject_description_reporter_and_comments(self):
        expect(self.page).to(contain(f"Subject {ESCAPED}"))
        expect(self.page).to(contain(f'<p class="description">{ESCAPED}</p>'))
        expect(self.page).to(contain(f"Comment {ESCAPED}"))
        expect(self.page).not_to(contain(HOSTILE))

    def it_should_escape_the_refused_tag_as_typed(self):
        expect(self.refused).to(contain('id="tags-errors"'))
        expect(self.refused).to(contain(f'value="{ESCAPED}"'))
        expect(self.refused).not_to(contain(HOSTILE))


class When_staff_read_an_issue_in_german:
    def given_an_open_issue(self):
        self.issue_id = report(subject="Drucker")
        self.client = staff_client()

    def because_they_open_it_with_a_german_browser(self):
        self.page = self.client.get(f"/staff/issues/{self.issue_id}/", **GERMAN_BROWSER).text

    def it_should_translate_plain_messages(self):
        expect(self.page).to(contain('<h2 id="composer-title">Antwort oder Notiz</h2>'))
        expect(self.page).to(not_(contain("Reply or note")))

    def it_should_translate_messages_with_values_and_contexts(self):
        expect(self.page).to(contain('data-text-changed="%(name)s hat dieses Anliegen geändert."'))
        expect(self.page).to(contain('lang="de"'))
        expect(self.page).to(not_(contain("Close the issue")))
