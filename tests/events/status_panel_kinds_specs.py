"""/staff/projections/ names each handler's kind in the reader's language ("E-Mail",
"Lesemodell" in German), not by the words the code keeps ("mail", "read model")."""

import re

import pytest
from expects import equal, expect

from tests.web.support import staff_client

pytestmark = pytest.mark.django_db


def kinds(html: str) -> set[str]:
    return set(re.findall(r"</code></th>\s*<td>([^<]*)</td>", html))


class When_staff_open_the_status_panel:
    def because_they_open_it_in_english_and_german(self):
        client = staff_client("alice")
        self.english = kinds(client.get("/staff/projections/").content.decode())
        client.post("/staff/settings/language/", {"language": "de"})
        self.german = kinds(client.get("/staff/projections/").content.decode())

    def it_should_name_the_kinds(self):
        expect(self.english).to(equal({"Mail", "Read model"}))

    def it_should_name_them_in_german(self):
        expect(self.german).to(equal({"E-Mail", "Lesemodell"}))
