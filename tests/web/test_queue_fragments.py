"""The queue page keeps its side bar, filters, column headings and shortcut help rendered
(views/staff.py): each must still show what is true now, in the reader's language, escaped, and
nothing of one request (its CSRF token) may be kept for the next."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from issues_adapters.persistence.models import Category, IssueRecord
from issues_adapters.web.models import QueueCount
from tests.web.support import make_user, report, staff_client

pytestmark = pytest.mark.django_db

GERMAN_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "de-DE,de;q=0.9"}


def page(client, path="/staff/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def count_of(html: str, key: str) -> int:
    return int(re.search(rf'data-count="{key}">(\d+)<', html).group(1))


def options_of(html: str, select_id: str) -> list[str]:
    select = re.search(rf'<select id="{select_id}".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"', select)


def selected_in(html: str, select_id: str) -> list[str]:
    select = re.search(rf'<select id="{select_id}".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)" selected>', select)


class When_the_data_changes_between_two_visits:
    def given_a_queue_seen_once(self):
        self.client = staff_client()
        report()
        self.before = page(self.client)

    def because_counts_move_and_a_category_and_a_staff_member_are_added(self):
        # The counts are kept from events after commit (web/counts.py); moved here by hand.
        QueueCount.objects.update_or_create(key="open", defaults={"count": 7})
        QueueCount.objects.update_or_create(key="unassigned", defaults={"count": 5})
        Category.objects.create(slug="telephony", name="Telephony <desk>")
        make_user("zoe")
        self.after = page(self.client)

    def it_should_show_the_new_counts(self):
        assert (count_of(self.before, "open"), count_of(self.before, "unassigned")) == (0, 0)
        assert (count_of(self.after, "open"), count_of(self.after, "unassigned")) == (7, 5)

    def it_should_offer_the_new_category_escaped(self):
        assert "telephony" not in options_of(self.before, "f-category")
        assert "telephony" in options_of(self.after, "f-category")
        assert "Telephony &lt;desk&gt;" in self.after
        assert "Telephony <desk>" not in self.after

    def it_should_offer_the_new_staff_member(self):
        assert "zoe" not in options_of(self.before, "f-assignee")
        assert "zoe" in options_of(self.after, "f-assignee")


class When_a_staff_member_leaves:
    def given_two_staff_members(self):
        self.client = staff_client()
        make_user("bob")
        self.before = page(self.client)

    def because_one_is_no_longer_active(self):
        bob = get_user_model().objects.get(username="bob")
        bob.is_active = False
        bob.save()  # as the admin does: its signal tells every worker (web/reference_data.py)
        self.after = page(self.client)

    def it_should_no_longer_offer_them(self):
        assert "bob" in options_of(self.before, "f-assignee")
        assert "bob" not in options_of(self.after, "f-assignee")


class When_a_category_is_retired:
    def given_an_issue_in_a_category(self):
        self.client = staff_client()
        Category.objects.create(slug="fax", name="Fax machines")
        report(category="fax")
        self.before = page(self.client)

    def because_the_category_is_no_longer_active(self):
        fax = Category.objects.get(slug="fax")
        fax.is_active = False
        fax.save()
        self.after = page(self.client)

    def it_should_no_longer_offer_it(self):
        assert "fax" in options_of(self.before, "f-category")
        assert "fax" not in options_of(self.after, "f-category")

    def it_should_still_name_it_on_its_issues(self):
        assert '<td class="c-category" title="Fax machines">Fax machines</td>' in self.after


class When_the_filters_change_between_two_visits:
    def given_a_filtered_queue(self):
        self.client = staff_client()
        report()
        self.first = page(self.client, "/staff/?priority=urgent&sort=-priority")
        self.first_sorted = page(self.client, "/staff/?sort=-priority")

    def because_another_filter_is_chosen(self):
        self.second = page(self.client, "/staff/?priority=low&sort=reference")
        self.second_sorted = page(self.client, "/staff/?sort=reference")

    def it_should_mark_each_page_s_own_choices(self):
        assert selected_in(self.first, "f-priority") == ["urgent"]
        assert selected_in(self.second, "f-priority") == ["low"]
        assert selected_in(self.first, "f-sort") == ["-priority"]
        assert selected_in(self.second, "f-sort") == ["reference"]

    def it_should_mark_the_sorted_column(self):
        assert 'class="c-priority" aria-sort="descending"' in self.first_sorted
        assert 'class="c-reference" aria-sort="ascending"' in self.second_sorted
        assert 'class="c-priority" aria-sort' not in self.second_sorted


class When_two_readers_in_two_languages_open_the_queue:
    def given_a_german_and_an_english_reader(self):
        make_user("bob")
        self.german = Client(**GERMAN_BROWSER)
        self.german.force_login(get_user_model().objects.get(username="bob"))
        self.english = staff_client()

    def because_both_open_it_in_turn(self):
        self.pages = [page(self.german), page(self.english), page(self.german)]

    def it_should_speak_each_reader_s_language_in_every_part(self):
        german, english, again = self.pages
        for words in ("Offen nach Kategorie", "Jeder Status", "Gemeldet", "Tastenkürzel"):
            assert words in german and words in again and words not in english
        for words in ("Open by category", "Any status", "Keyboard shortcuts"):
            assert words in english and words not in german


def test_each_request_gets_its_own_csrf_token_in_the_bulk_form():
    client = staff_client()
    tokens = {
        re.search(
            r'id="bulk-form">\s*<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"',
            page(client),
        ).group(1)
        for _ in range(2)
    }
    assert len(tokens) == 2  # masked anew on every response


class When_an_issue_changes_between_two_visits:
    def given_a_queue_seen_once(self):
        self.client = staff_client()
        self.issue_id = report(subject="The printer jams")
        self.before = page(self.client)

    def because_the_issue_is_changed(self):
        IssueRecord.objects.filter(id=self.issue_id).update(
            subject="The printer <b>burns</b>", priority="urgent", assignee="bob"
        )
        self.after = page(self.client)

    def it_should_show_the_issue_as_it_is_now_escaped(self):
        assert "The printer jams" in self.before
        assert "The printer jams" not in self.after
        assert "The printer &lt;b&gt;burns&lt;/b&gt;" in self.after
        assert '<td class="c-assignee" title="bob">bob</td>' in self.after
        assert '<span class="priority-urgent">Urgent</span>' in self.after


def test_the_rows_speak_each_reader_s_language():
    report()
    make_user("bob")
    german = Client(**GERMAN_BROWSER)
    german.force_login(get_user_model().objects.get(username="bob"))
    english, in_german = page(staff_client()), page(german)
    assert '<span class="muted">Not set</span>' in english
    assert '<span class="muted">Not set</span>' not in in_german
    assert '<span class="muted">Nicht gesetzt</span>' in in_german
