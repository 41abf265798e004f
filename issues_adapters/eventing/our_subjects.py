"""What our notification subjects add after the issue's subject ("Printer - Your issue has been
resolved", "Printer - Assigned to you by Bob"), so that an answer's subject can lose it again.

Read from the subject templates themselves (templates/email/*.subject.txt, those that put
`{{ subject }} - ` before their text), in every language we speak, every plural form, with a
name or number wherever a placeholder stands: a new mail, or a new wording, needs no list here.
"""

import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.template import Context, engines
from django.templatetags.i18n import BlockTranslateNode, TranslateNode
from django.utils import translation

_AFTER_SUBJECT = "{{ subject }} - "
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")
# Every plural form of every language's rule shows up among these counts.
_COUNTS = range(200)


def _subject_templates():
    engine = engines["django"].engine
    for folder in engine.dirs:
        for path in sorted(Path(folder).glob("email/*.subject.txt")):
            if _AFTER_SUBJECT in path.read_text(encoding="utf-8"):
                yield engine.get_template(f"email/{path.name}")


def _messages(template):
    """(context, singular, plural or None) of each text the template translates."""
    nodes = template.nodelist
    for node in nodes.get_nodes_by_type(TranslateNode):
        yield _context(node), node.filter_expression.var.literal, None
    for node in nodes.get_nodes_by_type(BlockTranslateNode):
        plural = node.render_token_list(node.plural)[0] if node.plural else None
        yield _context(node), node.render_token_list(node.singular)[0], plural


def _context(node) -> str | None:
    return node.message_context.resolve(Context()) if node.message_context else None


def _translated(context, singular: str, plural: str | None) -> set[str]:
    """Every form of the message in the active language."""
    if plural is None:
        return {
            translation.pgettext(context, singular) if context else translation.gettext(singular)
        }
    if context:
        return {translation.npgettext(context, singular, plural, n) for n in _COUNTS}
    return {translation.ngettext(singular, plural, n) for n in _COUNTS}


def _pattern(text: str) -> str:
    """A translated text as a regular expression: a placeholder stands for any name or number."""
    parts, start = [], 0
    for found in _PLACEHOLDER.finditer(text):
        parts += [re.escape(text[start : found.start()]), "%" if found[0] == "%%" else ".+"]
        start = found.end()
    return "".join([*parts, re.escape(text[start:])])


@lru_cache(maxsize=1)
def _ending_in_our_suffix() -> re.Pattern:
    patterns = set()
    for template in _subject_templates():
        for message in _messages(template):
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    patterns.update(_pattern(text) for text in _translated(*message))
    ours = "|".join(sorted(patterns, key=len, reverse=True))
    # The greedy subject keeps all it can: the split is at the last " - " our text follows.
    return re.compile(rf"(?:(?P<subject>.*) - )?(?:{ours})")


def without_our_suffix(subject: str) -> str:
    """An answer's subject without what our own mail added to it, in any language we speak (so
    a follow-up of a follow-up does not grow it); "" if the issue had no subject to add it to."""
    while found := _ending_in_our_suffix().fullmatch(subject):
        subject = found["subject"] or ""
    return subject
