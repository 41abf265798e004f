"""The issue page's timeline entries are kept rendered per process (web/timeline_html.py): a
kept entry is escaped as the template escapes it, and another language, another category name
or a new event is rendered anew, never served from what was kept."""

import pytest
from expects import contain, equal, expect, have_len, not_

from issues_adapters.persistence.models import Category
from issues_adapters.web import timeline_html
from tests.web.support import comment, issue_in, staff_client

pytestmark = pytest.mark.django_db

GERMAN_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "de-DE,de;q=0.9,en;q=0.5"}


def timeline_of(html: str) -> str:
    return html[html.index('id="timeline"') : html.index("</ol>", html.index('id="timeline"'))]


class When_staff_open_an_issue_twice_in_two_languages_with_a_change_between:
    def given_an_issue_with_a_hostile_comment(self):
        Category.objects.update_or_create(slug="printing", defaults={"name": "Printing"})
        self.client = staff_client()
        self.issue_id = issue_in("assigned")  # triaged as printing on the way
        comment(self.issue_id, "<script>alert(1)</script>")

    def because_they_open_it_again_after_changes(self):
        self.first = timeline_of(self.client.get(f"/staff/issues/{self.issue_id}/").text)
        self.same = timeline_of(self.client.get(f"/staff/issues/{self.issue_id}/").text)
        Category.objects.filter(slug="printing").update(name="Printers")
        Category.objects.get(slug="printing").save()
        comment(self.issue_id, "Fixed the fuser.", visibility="internal")
        self.after = timeline_of(self.client.get(f"/staff/issues/{self.issue_id}/").text)
        page = self.client.get(f"/staff/issues/{self.issue_id}/", **GERMAN_BROWSER)
        self.german = timeline_of(page.text)

    def it_should_serve_the_kept_entries_unchanged(self):
        expect(self.same).to(equal(self.first))
        expect(timeline_html._KEPT).not_to(have_len(0))

    def it_should_escape_a_kept_entry(self):
        expect(self.same).to(contain("&lt;script&gt;alert(1)&lt;/script&gt;"))
        expect(self.same).not_to(contain("<script>"))

    def it_should_show_the_new_event_and_the_new_category_name(self):
        expect(self.after).to(contain("Fixed the fuser."))
        expect(self.after).to(contain("Triaged: Printers"))
        expect(self.first).to(contain("Triaged: Printing"))

    def it_should_speak_the_page_language(self):
        expect(self.german).to(contain("Öffentliche Antwort"))
        expect(self.german).to(contain("Intern"))
        expect(self.german).to(not_(contain("Public reply")))
