"""`{% field_html field %}`: a form field as Django renders it, remembered for unbound forms.

Rendering a field through Django's form templates (field group, label, widget, attributes, one
template per select option) was a third of the issue page's CPU (bench/pages_profile.py). An
unbound field's HTML depends only on what goes into the key below, whose values come from small
sets (a version number, a staff name, a category), so the same HTML recurs across issues and
requests; a bound field (a refused form, with what was typed and its errors) is rendered anew.
"""

from django import forms, template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

_REMEMBERED: dict[tuple, str] = {}
_AT_MOST = 4096


def _key(field, as_group: bool) -> tuple | None:
    form = field.form
    if form.is_bound or isinstance(field.field, forms.ModelChoiceField):  # its choices query
        return None
    widget = field.field.widget
    try:
        return (
            type(form),
            form.prefix,
            form.auto_id,
            form.label_suffix,
            form.use_required_attribute,
            field.name,
            as_group,
            get_language(),
            str(field.label),
            str(field.help_text),
            field.field.required,
            field.field.disabled,
            tuple(sorted(widget.attrs.items())),
            tuple((value, str(label)) for value, label in getattr(field.field, "choices", ())),
            repr(field.value()),
        )
    except (TypeError, ValueError):  # choices of another shape: render it anew
        return None


def _remembered(field, as_group: bool) -> str:
    key = _key(field, as_group)
    html = _REMEMBERED.get(key) if key is not None else None
    if html is None:
        html = str(field.as_field_group() if as_group else field)
        if key is not None:
            if len(_REMEMBERED) >= _AT_MOST:
                _REMEMBERED.clear()
            _REMEMBERED[key] = html
    return mark_safe(html)  # Django's own rendering of the field, escaped by it


@register.simple_tag
def field_group(field):
    """`{{ field.as_field_group }}`."""
    return _remembered(field, as_group=True)


@register.simple_tag
def field_html(field):
    """`{{ field }}` (the widget alone, as for a hidden field)."""
    return _remembered(field, as_group=False)
