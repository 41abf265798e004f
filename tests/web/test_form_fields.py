"""`{% field_group %}`/`{% field_html %}` (templatetags/form_fields.py) give what Django renders:
a remembered field changes with its value, choices and language, and a refused (bound) form
shows what was typed and its errors."""

from django.template import Context, Template
from django.utils import translation
from expects import contain, equal, expect

from issues_adapters.web import forms

STAFF = ["alice", "bob"]
CATEGORIES = [("hardware", "Hardware"), ("printing", "Printing")]


def rendered(form) -> str:
    with translation.override("en-gb"):
        return Template("{% include 'web/_form_fields.html' %}").render(Context({"form": form}))


def as_django_renders(form) -> str:
    with translation.override("en-gb"):
        hidden = "".join(str(field) for field in form.hidden_fields())
        visible = "".join(
            f'<div class="field">{field.as_field_group()}</div>' for field in form.visible_fields()
        )
        return f"\n{hidden}\n{visible}\n"


class When_an_unbound_form_is_rendered_twice:
    def given_an_assign_form(self):
        self.form = forms.AssignForm(
            initial={"expected_version": 3, "assignee": "bob"}, staff=STAFF
        )

    def because_the_page_renders_it_twice(self):
        self.first, self.second = rendered(self.form), rendered(self.form)

    def it_should_render_what_django_renders(self):
        expect(self.first).to(equal(as_django_renders(self.form)))
        expect(self.second).to(equal(self.first))


class When_the_same_form_has_another_value_choice_or_language:
    def given_a_triage_form_rendered_once(self):
        rendered(forms.TriageForm(initial={"expected_version": 3}, categories=CATEGORIES))

    def because_it_is_rendered_with_other_values(self):
        self.later = rendered(
            forms.TriageForm(
                initial={"expected_version": 4, "category": "printing"},
                categories=[*CATEGORIES, ("network", "Network")],
            )
        )
        with translation.override("de"):
            form = forms.TriageForm(initial={"expected_version": 4}, categories=CATEGORIES)
            self.german = Template("{% include 'web/_form_fields.html' %}").render(
                Context({"form": form})
            )

    def it_should_show_the_new_version_choice_and_selection(self):
        expect(self.later).to(contain('name="expected_version" value="4"'))
        expect(self.later).to(contain('<option value="network">Network</option>'))
        expect(self.later).to(contain('<option value="printing" selected>Printing</option>'))

    def it_should_speak_the_language_of_the_page(self):
        expect(self.german).to(contain("Kategorie"))


class When_a_refused_form_comes_back:
    def given_an_unbound_reopen_form_rendered_once(self):
        rendered(forms.ReopenForm(initial={"expected_version": 3}))

    def because_the_same_form_comes_back_bound_with_an_error(self):
        self.form = forms.ReopenForm({"expected_version": "3", "reason": ""})
        self.form.is_valid()
        self.page = rendered(self.form)

    def it_should_show_its_error(self):
        expect(self.page).to(equal(as_django_renders(self.form)))
        expect(self.page).to(contain("This field is required."))
