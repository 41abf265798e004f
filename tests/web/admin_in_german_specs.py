"""The admin names the helpdesk's models in German for a superuser who chose German: every model
its index lists, and an issue's comments shown with it. The catalogue is read from its source
(locale/de/.../django.po), compiled for the spec as `make compilemessages` does."""

import re
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from expects import contain, equal, expect

from tests.web.support import issue_in, staff_client

pytestmark = pytest.mark.django_db

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "de" / "LC_MESSAGES" / "django.po"


def compiled_locale() -> str:
    """A locale folder with the German catalogue compiled as it stands."""
    folder = Path(tempfile.mkdtemp())
    target = folder / "de" / "LC_MESSAGES"
    target.mkdir(parents=True)
    subprocess.run(["msgfmt", "-o", str(target / "django.mo"), str(CATALOGUE)], check=True)
    return str(folder)


SECTION_LINK = re.compile(r'<a href="/admin/(\w+)/" class="section"[^>]*>(.*?)</a>')
MODEL_LINK = re.compile(r'<th scope="row" id="[^"]*">\s*<a href="/admin/([\w/]+)/">(.*?)</a>')


def model_names(html: str) -> dict:
    """The admin index's models, by their admin address, as it names them."""
    return dict(MODEL_LINK.findall(html))


class When_an_admin_who_chose_german_opens_the_admin:
    def given_a_superuser_who_chose_german(self):
        get_user_model().objects.create_superuser("boss", "boss@example.org", "pw")
        self.client = staff_client("boss")
        self.client.post("/staff/settings/language/", {"language": "de"})
        self.issue_id = issue_in("assigned")

    def because_they_open_the_index_and_an_issue(self):
        with override_settings(LOCALE_PATHS=[compiled_locale()]):
            self.index = self.client.get("/admin/").content.decode()
            self.issue = self.client.get(
                f"/admin/issues/issuerecord/{self.issue_id}/change/"
            ).content.decode()

    def it_should_name_every_model_of_the_helpdesk_in_german(self):
        names = {
            address: name
            for address, name in model_names(self.index).items()
            if address.split("/")[0] in {"issues", "eventing", "sla"}
        }
        expect(names).to(
            equal(
                {
                    "eventing/delivery": "Zustellungen",
                    "eventing/inboundmessage": "Eingegangene Nachrichten",
                    "eventing/sentmail": "Gesendete E-Mails",
                    "issues/category": "Kategorien",
                    "issues/issuerecord": "Anliegen",
                    "issues/recordedevent": "Aufgezeichnete Ereignisse",
                    "sla/businesscalendarrecord": "Geschäftszeiten-Kalender",
                    "sla/slapolicyrecord": "SLA-Richtlinien",
                    "sla/slatimerhold": "SLA-Timer-Sperren",
                }
            )
        )

    def it_should_head_the_helpdesk_s_groups_of_models_in_german(self):
        captions = dict(SECTION_LINK.findall(self.index))
        expect({app: captions[app] for app in ("eventing", "issues", "sla")}).to(
            equal({"eventing": "Ereignisse und E-Mail", "issues": "Anliegen", "sla": "SLA"})
        )

    def it_should_head_an_issue_and_its_comments_in_german(self):
        expect(self.issue).to(contain("<h1>Anliegen ansehen</h1>"))
        heading = re.search(r'class="inline-heading">\s*(.*?)\s*</h2>', self.issue).group(1)
        expect(heading).to(equal("Kommentare"))
