"""What the domain says to people, in English, kept translatable without Django.

`gettext_noop` only marks a text for the catalogues (makemessages knows the name); a `Text`
is the English sentence that the domain's errors carry, with its template and values kept, so
that an adapter can say it in the reader's language (issues_adapters/texts.py). A value may be
a `Text` itself (a size with its unit, say), said in the reader's language too.
"""


def gettext_noop(template: str) -> str:
    return template


def _english(value):
    return f"{value:,}" if isinstance(value, int | float) else value


class Text(str):
    template: str
    values: dict

    def __new__(cls, template: str, **values) -> "Text":
        english = template % {k: _english(v) for k, v in values.items()} if values else template
        text = super().__new__(cls, english)
        text.template, text.values = template, values
        return text
