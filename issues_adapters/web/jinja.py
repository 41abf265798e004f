"""The Jinja2 environment of the hot staff pages (jinja_templates/: the issue page and its
panels, the queue).

The issue page through Django's template engine cost 1.9 ms of its 5.2 ms of CPU
(bench/pages_profile.py --profile issue --templates); the same page compiled by Jinja2 costs a
fraction of that. The templates keep Django's translation tags, `{% translate "…" %}` (with
an optional `context "…"`) and `{% blocktranslate [with a=b …] [count n=c] %}…[{% plural %}…]
{% endblocktranslate %}`, rewritten below into Jinja2's own before compiling: `makemessages`
finds their strings as in any Django template, and they render as Django renders them (the
message of a `blocktranslate` is taken as safe, its values are escaped; a `translate` is
escaped).
Autoescaping is on (Django's Jinja2 backend turns it on).
"""

import re

from django.template.backends.utils import csrf_input
from django.template.defaultfilters import date as date_filter
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, gettext, ngettext, npgettext, pgettext
from jinja2 import Environment
from jinja2.ext import Extension
from markupsafe import Markup

from issues_adapters.reports.ratings import rating_of
from issues_adapters.sla import display as sla_display
from issues_adapters.web import labels
from issues_adapters.web.templatetags.form_fields import field_group, field_html

_STRING = r"""("[^"]*"|'[^']*')"""
_TRANSLATE = re.compile(
    r"\{%\s*translate\s+" + _STRING + r"(?:\s+context\s+" + _STRING + r")?\s*%\}"
)
_BLOCK = re.compile(r"\{%\s*blocktranslate\b(.*?)%\}")
_END_BLOCK = re.compile(r"\{%\s*endblocktranslate\s*%\}")
_PLURAL = re.compile(r"\{%\s*plural\s*%\}")


def _translate(match: re.Match) -> str:
    message, context = match[1], match[2]
    if context:
        return f"{{{{ pgettext({context}, {message}) }}}}"
    return f"{{{{ gettext({message}) }}}}"


def _block(match: re.Match) -> str:
    words = match[1].split()
    # Jinja2 counts by the first value: `count n=c` goes before the `with` values.
    counted = [words[n + 1] for n, word in enumerate(words) if word == "count"]
    values = [word for word in words if word not in ("with", "count", *counted)]
    # Django separates the values with spaces, Jinja2 with commas.
    return f"{{% trans {', '.join(counted + values)} %}}"


class DjangoTranslationTags(Extension):
    """Django's `translate` and `blocktranslate` tags, as Jinja2's i18n extension's."""

    def preprocess(self, source, name, filename=None):
        source = _TRANSLATE.sub(_translate, source)
        source = _BLOCK.sub(_block, source)
        source = _PLURAL.sub("{% pluralize %}", source)
        return _END_BLOCK.sub("{% endtrans %}", source)


def url(name, **kwargs) -> str:
    """`{% url name key=value %}`."""
    return reverse(name, kwargs=kwargs)


def django_template(name, **context) -> str:
    """A Django template included as it is (one that Django pages share, seldom rendered)."""
    return Markup(render_to_string(name, context))  # escaped by the Django template


def satisfaction_of(issue_id):
    """`{% satisfaction_of issue.id %}` (issues_adapters/reports/templatetags/satisfaction.py)."""
    return django_template("web/_rating.html", rating=rating_of(issue_id), for_reporter=False)


def sla_panel(issue):
    """The issue's clocks for jinja_templates/web/_sla_panel.html, from the `sla` the issue
    page's IssueDetail was read with (no statement of its own)."""
    return sla_display.panel_of(issue.sla)


def localised_date(value, format_name=None):
    """`{{ value|date:"FORMAT" }}`: in the current time zone, as Django's filter gets it."""
    return date_filter(template_localtime(value), format_name)


def csrf_input_once(request) -> dict:
    """`{{ csrf_input }}`, made once a page as Django's `{% csrf_token %}` is: the backend's own
    masks the token anew at every form (0.3 ms of the issue page's CPU with its eight forms)."""
    return {"csrf_input": SimpleLazyObject(lambda: csrf_input(request))}


def environment(**options) -> Environment:
    # As Django's templates, which keep a template's last newline.
    options.setdefault("keep_trailing_newline", True)
    env = Environment(extensions=[DjangoTranslationTags, "jinja2.ext.i18n"], **options)
    env.install_gettext_callables(
        gettext, ngettext, newstyle=False, pgettext=pgettext, npgettext=npgettext
    )
    env.globals.update(
        url=url,
        static=static,
        get_language=get_language,
        django_template=django_template,
        field_group=field_group,
        field_html=field_html,
        satisfaction_of=satisfaction_of,
        sla_panel=sla_panel,
    )
    env.filters.update(
        status_label=labels.status_label,
        priority_label=labels.priority_label,
        date=localised_date,
    )
    return env
