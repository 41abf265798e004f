"""`{% load i18n %}` (settings.TEMPLATES maps the name here): Django's i18n library, except that
`{% translate "a constant" %}` looks its text up once a language, not at every render.

Speed trick (bench/pages_profile.py): Django's tag makes a lazy string, looks it up in the
catalogue, localizes and escapes it on every render, about 10 us, and a staff page renders 60 or
more of them; remembered, the tag costs a dictionary lookup. Its text is the same for the same
catalogue and escaping, which are its key (a catalogue loaded anew, as tests that change the
languages do, is a new key). A tag with a variable, a filter, a variable context or `as` is
Django's own, untouched; so is `{% blocktranslate %}`. makemessages reads the templates as before.
"""

from django.template import Library, Node
from django.templatetags import i18n
from django.utils.translation import trans_real

register = Library()
register.tags.update(i18n.register.tags)
register.filters.update(i18n.register.filters)


class RememberedTranslateNode(Node):
    def __init__(self, node: i18n.TranslateNode):
        self.node = node
        self.texts: dict = {}

    def render(self, context):
        key = (trans_real.catalog(), context.autoescape)
        text = self.texts.get(key)
        if text is None:
            text = self.texts[key] = self.node.render(context)
        return text


def _constant(expression) -> bool:
    if expression is None:
        return True
    if expression.filters:
        return False
    var = expression.var
    return isinstance(var, str) or getattr(var, "literal", None) is not None


@register.tag("translate")
@register.tag("trans")
def do_translate(parser, token):
    node = i18n.do_translate(parser, token)
    if node.asvar or not _constant(node.filter_expression) or not _constant(node.message_context):
        return node
    return RememberedTranslateNode(node)
