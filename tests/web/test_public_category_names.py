"""The seeded categories' names speak the reader's language on the public pages (the report
form's choices, the tracking page); a name an admin typed shows as typed."""

import pytest
from django.test import Client
from expects import contain, expect

from issues_adapters.persistence.models import Category
from tests.web.support import report, staff_client, token


class When_a_german_browser_opens_the_report_form:
    pytestmark = pytest.mark.django_db

    def given_a_category_an_admin_named(self):
        Category.objects.create(slug="plotters", name="Plotter farm", position=99)

    def because_it_opens_the_form(self):
        self.html = Client(HTTP_ACCEPT_LANGUAGE="de").get("/").content.decode()

    def it_should_show_the_seeded_names_in_german(self):
        expect(self.html).to(contain('<option value="printing">Drucken</option>'))
        expect(self.html).to(contain('<option value="network">Netzwerk und Verbindung</option>'))
        expect(self.html).to(contain('<option value="other">Sonstiges</option>'))

    def it_should_show_the_admins_name_as_typed(self):
        expect(self.html).to(contain('<option value="plotters">Plotter farm</option>'))


class When_a_german_reporter_opens_their_tracking_page:
    pytestmark = pytest.mark.django_db

    def given_an_issue_reported_in_german_about_printing(self):
        self.issue_id = report(category="printing", language="de")

    def because_they_open_the_page(self):
        self.html = Client().get(f"/track/{token(self.issue_id)}/").content.decode()

    def it_should_name_the_category_in_german(self):
        expect(self.html).to(contain("<dt>Kategorie</dt><dd>Drucken</dd>"))


class When_an_english_browser_opens_the_report_form:
    pytestmark = pytest.mark.django_db

    def because_it_opens_the_form(self):
        self.html = Client(HTTP_ACCEPT_LANGUAGE="en").get("/").content.decode()

    def it_should_show_the_names_as_seeded(self):
        expect(self.html).to(contain('<option value="printing">Printing</option>'))


class When_german_staff_open_the_queue_and_an_issue:
    pytestmark = pytest.mark.django_db

    def given_an_issue_about_printing_and_alice_speaking_german(self):
        self.issue_id = report(category="printing")
        self.client = staff_client("alice")
        self.client.post("/staff/settings/language/", {"language": "de"})

    def because_she_opens_them(self):
        self.queue = self.client.get("/staff/").content.decode()
        self.issue = self.client.get(f"/staff/issues/{self.issue_id}/").content.decode()
        self.settings = self.client.get("/staff/settings/").content.decode()
        self.english = staff_client("bob").get("/staff/").content.decode()

    def it_should_name_the_categories_in_german_on_every_page(self):
        for html in (self.queue, self.issue, self.settings):
            expect(html).to(contain("Drucken"))
            expect(html).not_to(contain(">Printing<"))

    def it_should_keep_english_for_english_staff(self):
        expect(self.english).to(contain("Printing"))
        expect(self.english).not_to(contain("Drucken"))
