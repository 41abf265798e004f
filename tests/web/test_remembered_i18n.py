"""`{% load i18n %}` is templatetags/remembered_i18n.py: what Django's own tags render, in each
language, the constant `{% translate %}` looked up once a language."""

from django.template import Context, Engine, Template
from django.utils import translation
from expects import be_a, contain, equal, expect

from issues_adapters.web.templatetags.remembered_i18n import RememberedTranslateNode

SOURCE = (
    "{% load i18n %}"
    '{% translate "Log out" %}|{% translate "Main" context "navigation" %}|{% translate x %}|'
    '{% translate "Queue" as q %}{{ q }}|{% translate "50%% off" %}|{% trans "Search" %}|'
    '{% translate "Status"|lower %}|{% translate "Close" context x %}|'
    "{% blocktranslate %}Remove {{ x }}{% endblocktranslate %}|{% translate x noop %}"
)
DJANGO = Engine(libraries={"i18n": "django.templatetags.i18n"})


def _both(language: str, autoescape: bool = True) -> tuple[str, str]:
    context = {"x": "<Assign>"}
    with translation.override(language):
        ours = Template(SOURCE).render(Context(context, autoescape=autoescape))
        theirs = DJANGO.from_string(SOURCE).render(Context(context, autoescape=autoescape))
    return ours, theirs


class When_a_page_translates_in_each_language_one_template_after_another:
    def given_one_template(self):
        self.template = Template(SOURCE)

    def because_it_is_rendered_in_english_german_and_english_again(self):
        self.pages = []
        for language in ("en-gb", "de", "en-gb", "de"):
            with translation.override(language):
                self.pages.append(self.template.render(Context({"x": "<Assign>"})))

    def it_should_speak_each_language(self):
        expect(self.pages[0]).to(contain("Log out|Main|&lt;Assign&gt;|Queue|"))
        expect(self.pages[1]).to(contain("Abmelden|"))
        expect(self.pages[2]).to(equal(self.pages[0]))
        expect(self.pages[3]).to(equal(self.pages[1]))

    def it_should_remember_only_constant_tags(self):
        remembered = [
            node for node in self.template.nodelist if isinstance(node, RememberedTranslateNode)
        ]
        expect(len(remembered)).to(equal(4))
        expect(remembered[0].texts).to(be_a(dict))


class When_it_is_rendered_beside_django_s_own_tags:
    def because_both_render_the_same_template(self):
        self.english = _both("en-gb")
        self.german = _both("de")
        self.unescaped = _both("de", autoescape=False)

    def it_should_render_what_django_renders(self):
        for ours, theirs in (self.english, self.german, self.unescaped):
            expect(ours).to(equal(theirs))
