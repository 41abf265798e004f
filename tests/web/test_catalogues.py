"""The languages' catalogues lose their empty fallbacks (issues_adapters/web/catalogues.py) and
translate every message as they did with them."""

import polib
from django.conf import settings
from django.utils.translation import trans_real
from expects import be_empty, equal, expect

from issues_adapters.web import catalogues
from tests.test_translations import CATALOGUES

# Messages Django's own catalogues translate, and some nobody does.
SAMPLES = ["Log out", "This field is required.", "Enter a valid email address.", "No such text"]


def _chain(language: str) -> list:
    link, chain = trans_real.translation(language), []
    while link is not None:
        chain.append(link)
        link = link._fallback
    return chain


def _messages() -> list[str]:
    ours = [entry.msgid for path in CATALOGUES for entry in polib.pofile(str(path))]
    return [message for message in ours + SAMPLES if message and "\n" not in message]


def _translated(language: str, messages: list[str]) -> list[str]:
    return [trans_real.translation(language).gettext(message) for message in messages]


class When_the_catalogues_are_loaded_anew:
    def given_every_language_loaded_as_gettext_makes_it(self):
        trans_real._translations = {}
        self.messages = _messages()
        self.unpruned = {code: _translated(code, self.messages) for code, _ in settings.LANGUAGES}
        self.had_empty = any(
            catalogues._empty(link) for code, _ in settings.LANGUAGES for link in _chain(code)
        )

    def because_the_empty_catalogues_are_taken_out(self):
        catalogues.prune_every_language()

    def it_should_have_had_empty_ones(self):
        expect(self.had_empty).to(equal(True))

    def it_should_leave_no_empty_catalogue_in_any_chain(self):
        for code, _name in settings.LANGUAGES:
            expect([link for link in _chain(code) if catalogues._empty(link)]).to(be_empty)

    def it_should_translate_every_message_as_before(self):
        for code, _name in settings.LANGUAGES:
            expect(_translated(code, self.messages)).to(equal(self.unpruned[code]))
