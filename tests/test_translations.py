"""Every user-visible string is marked for translation, and every catalogue under locale/ is
complete, compiled and current (`make messages`, then translate, then `make compilemessages`)."""

import ast
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))
# jinja_templates/ (the issue page, the queue) keeps Django's translate tags: makemessages
# reads them too.
TEMPLATES = sorted(
    path
    for folder in ("templates", "jinja_templates")
    for path in (ROOT / folder).rglob("*")
    if path.suffix in {".html", ".txt"} and path.parts[-2] != "api"  # drf-spectacular's page
)
# Words a page may show untranslated: key names and marks that read the same in every language.
NOT_WORDS = {"Esc"}
# Attributes whose values a reader sees or hears.
SHOWN_ATTRIBUTES = {"placeholder", "title", "alt", "aria-label", "data-text", "value"}
SHOWN_ATTRIBUTES |= {"data-text-changed", "data-text-reload"}


def _key(entry) -> tuple:
    return (entry.msgctxt, entry.msgid)


# -- the catalogues ---------------------------------------------------------------------------


def test_every_language_offered_has_a_catalogue():
    offered = {code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE}
    assert {path.parts[-3] for path in CATALOGUES} == offered


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda path: path.parts[-3])
def test_a_catalogue_has_no_untranslated_or_fuzzy_entry(po_path):
    catalogue = polib.pofile(str(po_path))
    assert not catalogue.metadata_is_fuzzy
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    assert catalogue.percent_translated() == 100


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda path: path.parts[-3])
def test_msgfmt_accepts_a_catalogue_with_its_placeholders(po_path, tmp_path):
    """--check: a translation keeps every %(name)s of its msgid, plural forms are right."""
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "django.mo"), str(po_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda path: path.parts[-3])
def test_the_committed_mo_file_is_the_compiled_catalogue(po_path):
    """The .mo files are committed (so `make run` needs no gettext): they must be current."""
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), "run `make compilemessages`"
    source = {_key(e): (e.msgstr, e.msgstr_plural) for e in polib.pofile(str(po_path))}
    compiled = {_key(e): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(mo_path))}
    compiled.pop((None, ""), None)  # the header
    assert compiled == source, "the .mo is older than the .po: run `make compilemessages`"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[tuple]:
    """What `make messages` would collect today, from a copy of the code (the real catalogue
    is left alone)."""
    copy = tmp_path_factory.mktemp("extract")
    for name in (
        "issues_domain",
        "issues_service",
        "issues_adapters",
        "templates",
        "jinja_templates",
    ):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    (copy / "locale").mkdir()
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale=de", "--domain=django"],
        cwd=copy,
        env={"PATH": "/usr/bin:/bin", "HELPDESK_VAR_DIR": str(copy / "var")},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return {_key(e) for e in polib.pofile(str(copy / "locale/de/LC_MESSAGES/django.po"))}


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda path: path.parts[-3])
def test_a_catalogue_holds_every_marked_string_and_no_stale_one(po_path, extracted):
    catalogue = {_key(e) for e in polib.pofile(str(po_path)) if not e.obsolete}
    assert sorted(extracted - catalogue, key=str) == [], "run `make messages` and translate"
    assert sorted(catalogue - extracted, key=str) == [], "run `make messages` (stale entries)"


# -- templates ---------------------------------------------------------------------------------


class _ShownText(HTMLParser):
    """The text of a page and the attribute values a reader meets, outside <script>/<style>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skipping += 1
        # A value is shown on a button-like input only (an option's or a hidden one's is data).
        button = tag == "input" and dict(attrs).get("type") in ("submit", "button", "reset")
        for name, value in attrs:
            if name in SHOWN_ATTRIBUTES and value and (name != "value" or button):
                self.found.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping:
            self.found.append(data)


_PLACEHOLDER = "\x00"
_CLOSERS = {"endblocktranslate", "endblocktrans", "endcomment"}


def untranslated_text(source: str) -> list[str]:
    """Words in a template that no translate/blocktranslate tag covers."""
    kept, inside = [], 0
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            words = token.contents.split() or [""]
            # Translated text, comments, and a {% block body_class %}: class names, not words.
            if words[0] in ("blocktranslate", "blocktrans", "comment") or (
                words[0] == "block" and words[-1].endswith("_class")
            ):
                inside += 1
            elif words[0] in _CLOSERS or (words[0] == "endblock" and inside):
                inside -= 1
            kept.append(_PLACEHOLDER)
        elif token.token_type == TokenType.TEXT and not inside:
            kept.append(token.contents)
        else:
            kept.append(_PLACEHOLDER)
    parser = _ShownText()
    parser.feed("".join(kept))
    parser.close()
    words = []
    for text in parser.found:
        for word in re.findall(r"[^\W\d_]{2,}", text.replace(_PLACEHOLDER, " ")):
            if word not in NOT_WORDS:
                words.append(word)
    return words


def test_the_template_check_finds_a_word_outside_translate_tags():
    assert untranslated_text('<p>{% translate "Hello" %} world</p>') == ["world"]
    assert untranslated_text('<input placeholder="Search">') == ["Search"]
    assert untranslated_text("<p>{% blocktranslate %}Hi {{ x }}{% endblocktranslate %}</p>") == []
    assert untranslated_text('<a href="/x" class="card">{{ name }} · 3 →</a>') == []
    assert untranslated_text('<input type="hidden" name="next" value="{{ here }}">') == []
    assert untranslated_text('<option value="none">') == []
    assert untranslated_text('<input type="submit" value="Send">') == ["Send"]
    assert untranslated_text("{% block body_class %}page-queue{% endblock %}") == []


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_word_in_a_template_is_marked_for_translation(path):
    assert untranslated_text(path.read_text()) == []


# -- Python ------------------------------------------------------------------------------------

# The modules whose strings reach pages and mail. The domain's are checked too: they must be
# marked (gettext_noop) so that issues_adapters/texts.py can translate them.
SHOWN_BY = [
    "issues_domain/errors.py",
    "issues_domain/values.py",
    "issues_domain/issue.py",
    "issues_adapters/web/forms.py",
    "issues_adapters/web/labels.py",
    "issues_adapters/web/presentation.py",
    "issues_adapters/web/views/public.py",
    "issues_adapters/web/views/staff.py",
    "issues_adapters/web/views/staff_language.py",
    "issues_adapters/eventing/views.py",
    "issues_adapters/accounts/views.py",
    "issues_adapters/accounts/failed_logins.py",
]
_MARKERS = {"gettext", "gettext_lazy", "gettext_noop", "ngettext", "pgettext", "pgettext_lazy"}
_MARKERS |= {"ngettext_lazy", "_"}
# Calls whose string arguments nobody reads on a page: logs, lookups, internal errors.
_UNSHOWN_CALLS = {"debug", "info", "warning", "exception", "getLogger", "get", "filter", "Http404"}
_UNSHOWN_CALLS |= {"startswith", "values", "values_list"}


def _called_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def unmarked_sentences(source: str) -> list[str]:
    """String literals that read as words to a person (two words or more, or a capitalised
    word followed by a stop) and are neither marked, nor docstrings, nor in unshown calls."""
    tree = ast.parse(source)
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
        ):
            skip.add(id(body[0].value))
        if isinstance(node, ast.Call) and _called_name(node) in _MARKERS | _UNSHOWN_CALLS:
            for inner in ast.walk(node):
                skip.add(id(inner))
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        elif isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            for inner in ast.walk(node):
                skip.add(id(inner))
        else:
            continue
        if re.search(r"[A-Za-z]{2,}\s+[A-Za-z]{2,}", text) or re.fullmatch(r"[A-Z][a-z]+\.", text):
            found.append(text)
    return found


def test_the_python_check_finds_an_unmarked_sentence():
    source = 'from x import gettext as _\nA = "Not set"\nB = _("Set")\nC = f"{n} seconds left"\n'
    assert unmarked_sentences(source) == ["Not set", " seconds left"]
    assert unmarked_sentences('def f():\n    """A docstring here."""\n    return "ok"\n') == []
    assert unmarked_sentences('messages.success(request, "Done.")') == ["Done."]


@pytest.mark.parametrize("module", SHOWN_BY)
def test_every_sentence_in_a_module_that_reaches_pages_is_marked(module):
    assert unmarked_sentences((ROOT / module).read_text()) == []
