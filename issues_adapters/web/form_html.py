"""The issue page's forms as HTML: an unbound one rendered once per process for what it shows.

Building the side panel's forms and rendering their fields (even with templatetags/
form_fields.py remembering each field) was about a sixth of the issue page's CPU
(bench/pages_profile.py). An unbound form's HTML depends only on its class, its initial
values, its choices and the language, all in the key below, and these repeat across issues
and requests (a version number, a category, a staff name); a bound form (a refused one, with
what was typed and its errors) is rendered anew.
"""

from django.template import engines
from django.utils.translation import get_language
from markupsafe import Markup

_KEPT: dict[tuple, Markup] = {}
_AT_MOST = 4096


def fields_html(form) -> Markup:
    """The form's fields as jinja_templates/web/_form_fields.html renders them."""
    macros = engines["jinja2"].env.get_template("web/_form_fields.html").module
    return macros.form_fields(form)


def unbound_fields_html(form_class, initial: dict, **choices) -> Markup:
    """`fields_html(form_class(initial=initial, **choices))`, kept; `choices` are sequences."""
    key = (
        form_class,
        get_language(),
        tuple(sorted(initial.items())),
        tuple((name, tuple(values)) for name, values in sorted(choices.items())),
    )
    html = _KEPT.get(key)
    if html is None:
        html = fields_html(form_class(initial=initial, **choices))
        if len(_KEPT) >= _AT_MOST:
            _KEPT.clear()
        _KEPT[key] = html
    return html
