"""HTML forms: they check the shape of what a browser sent, nothing more.

Every rule about what is allowed lives in issues_domain; a form only makes sure that a field
is there and has the right type, and shows the domain's own messages next to the right field
when a command is refused as invalid input.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from issues_domain.errors import InvalidInput
from issues_domain.subject import SUBJECT_MAX_LENGTH
from issues_domain.values import Priority

PRIORITY_CHOICES = [(p.value, p.name.title()) for p in Priority]


class DomainErrorsMixin:
    """Maps the field names of a domain error (`InvalidInput.errors`) onto this form's fields."""

    domain_fields: dict[str, str] = {}

    def add_domain_errors(self, error: InvalidInput) -> None:
        for field, messages in error.errors.items():
            name = self.domain_fields.get(field, field)
            self.add_error(name if name in self.fields else None, list(messages))


class VersionedForm(DomainErrorsMixin, forms.Form):
    """A staff form that posts the version of the issue it was rendered with."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ReportForm(DomainErrorsMixin, forms.Form):
    domain_fields = {"reporter_name": "name", "reporter_email": "email"}

    name = forms.CharField(label="Your name", max_length=200)
    email = forms.CharField(
        label="Your email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="We send the reference and your private tracking link here.",
    )
    subject = forms.CharField(
        label=_("Subject"),
        max_length=SUBJECT_MAX_LENGTH,
        help_text=_("One line that names the problem, e.g. “Printer on floor 2 jams”."),
    )
    description = forms.CharField(
        label="What is the problem?",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What happened, where, and what you expected instead.",
    )
    category = forms.ChoiceField(label="Category (optional)", required=False)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "I don't know"), *categories]
        self.fields["name"].widget.attrs["autocomplete"] = "name"


class TriageForm(VersionedForm):
    category = forms.ChoiceField(label="Category")
    priority = forms.ChoiceField(label="Priority", choices=PRIORITY_CHOICES)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = list(categories)


class AssignForm(VersionedForm):
    assignee = forms.ChoiceField(label="Assign to")

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [(name, name) for name in staff]


class PickForm(VersionedForm):
    pass


class CommentForm(VersionedForm):
    body = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 4}))
    visibility = forms.ChoiceField(
        label="Who can read it",
        choices=[
            ("public", "Public reply: the reporter sees it"),
            ("internal", "Internal note: staff only"),
        ],
        initial="public",
        widget=forms.RadioSelect,
    )


class WatcherForm(VersionedForm):
    email = forms.CharField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text=_("They get public replies and the resolution, never internal notes."),
    )


class ResolveForm(VersionedForm):
    resolution = forms.CharField(
        label="Resolution", widget=forms.Textarea(attrs={"rows": 3}), help_text="What was done."
    )


class ReopenForm(VersionedForm):
    reason = forms.CharField(label="Why reopen it?", widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(VersionedForm):
    pass


class ReporterCommentForm(DomainErrorsMixin, forms.Form):
    body = forms.CharField(label="Add a comment", widget=forms.Textarea(attrs={"rows": 4}))


class ReporterReopenForm(DomainErrorsMixin, forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    reason = forms.CharField(label="What is still wrong?", widget=forms.Textarea(attrs={"rows": 3}))


BULK_ACTIONS = [("assign", "Assign to"), ("triage", "Triage as"), ("resolve", "Resolve")]


class BulkForm(DomainErrorsMixin, forms.Form):
    action = forms.ChoiceField(label="Action", choices=BULK_ACTIONS)
    assignee = forms.ChoiceField(label="Assignee", required=False)
    category = forms.ChoiceField(label="Category", required=False)
    priority = forms.ChoiceField(
        label="Priority", required=False, choices=[("", "—"), *PRIORITY_CHOICES]
    )
    resolution = forms.CharField(label="Resolution", required=False, max_length=10_000)

    def __init__(self, *args, staff=(), categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", "—"), *((n, n) for n in staff)]
        self.fields["category"].choices = [("", "—"), *categories]
