"""HTML forms: they check the shape of what a browser sent, nothing more.

Every rule about what is allowed lives in issues_domain; a form only makes sure that a field
is there and has the right type, and shows the domain's own messages next to the right field
when a command is refused as invalid input.
"""

from django import forms
from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from issues_adapters.accounts.models import NotificationSettings
from issues_adapters.texts import translated
from issues_adapters.web.labels import PRIORITY_LABELS
from issues_domain.errors import InvalidInput
from issues_domain.subject import SUBJECT_MAX_LENGTH, clean_subject
from issues_domain.values import (
    DESCRIPTION_MAX_LENGTH,
    FollowUp,
    IssueReporter,
    clean_text,
    validate_all,
)

PRIORITY_CHOICES = list(PRIORITY_LABELS.items())


class DomainErrorsMixin:
    """Maps the field names of a domain error (`InvalidInput.errors`) onto this form's fields."""

    domain_fields: dict[str, str] = {}

    def add_domain_errors(self, error: InvalidInput) -> None:
        for field, messages in error.errors.items():
            name = self.domain_fields.get(field, field)
            self.add_error(name if name in self.fields else None, [translated(m) for m in messages])


class VersionedForm(DomainErrorsMixin, forms.Form):
    """A staff form that posts the version of the issue it was rendered with."""

    # No id: the issue page holds several of these forms, and a hidden field has no label.
    expected_version = forms.IntegerField(
        widget=forms.HiddenInput(attrs={"id": False}), min_value=0
    )


class ReportForm(DomainErrorsMixin, forms.Form):
    domain_fields = {"reporter_name": "name", "reporter_email": "email"}

    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.CharField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send the reference and your private tracking link here."),
    )
    subject = forms.CharField(
        label=_("Subject"),
        max_length=SUBJECT_MAX_LENGTH,
        help_text=_("One line that names the problem, e.g. “Printer on floor 2 jams”."),
    )
    description = forms.CharField(
        label=_("What is the problem?"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What happened, where, and what you expected instead."),
    )
    category = forms.ChoiceField(label=_("Category (optional)"), required=False)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("I don't know")), *categories]
        self.fields["name"].widget.attrs["autocomplete"] = "name"

    def clean(self):
        """The domain's own checks of a report, run on every field, so that one round shows
        every error: a field Django refused keeps Django's error alone."""
        data = super().clean()
        description = data.get("description") or ""
        try:
            validate_all(
                reporter=lambda: IssueReporter.create(data.get("name"), data.get("email")),
                description=lambda: clean_text(
                    description, "description", max_length=DESCRIPTION_MAX_LENGTH
                ),
                subject=lambda: clean_subject(data.get("subject"), description),
            )
        except InvalidInput as error:
            for field, messages in error.errors.items():
                name = self.domain_fields.get(field, field)
                if name in data:
                    self.add_error(name, [translated(m) for m in messages])
        return data


class TriageForm(VersionedForm):
    category = forms.ChoiceField(label=_("Category"))
    priority = forms.ChoiceField(label=_("Priority"), choices=PRIORITY_CHOICES)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = list(categories)


class AssignForm(VersionedForm):
    assignee = forms.ChoiceField(label=_("Assign to"))

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [(name, name) for name in staff]


class PickForm(VersionedForm):
    pass


class CommentForm(VersionedForm):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}))
    visibility = forms.ChoiceField(
        label=_("Who can read it"),
        choices=[
            ("public", _("Public reply: the reporter sees it")),
            ("internal", _("Internal note: staff only")),
        ],
        initial="public",
        widget=forms.RadioSelect,
    )


class ComposerForm(VersionedForm):
    """The issue page's one composer; the button clicked says what follows the reply."""

    body = forms.CharField(
        label=_("Reply or note"),
        widget=forms.Textarea(attrs={"rows": 5, "id": "composer-body"}),
    )
    visibility = forms.ChoiceField(
        label=_("Who can read it"),
        choices=[
            ("public", _("Public reply: the reporter sees it")),
            ("internal", _("Internal note: staff only")),
        ],
        initial="public",
        widget=forms.RadioSelect,
    )
    follow_up = forms.ChoiceField(
        choices=[(f.value, f.value) for f in FollowUp],
        required=False,
        widget=forms.HiddenInput,  # the submit buttons carry it; kept for a refused form
    )

    def clean_follow_up(self):
        return self.cleaned_data.get("follow_up") or FollowUp.NONE.value


class WatcherForm(VersionedForm):
    email = forms.CharField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text=_("They get public replies and the resolution, never internal notes."),
    )


class ResolveForm(VersionedForm):
    resolution = forms.CharField(
        label=_("Resolution"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was done."),
    )


class ReopenForm(VersionedForm):
    reason = forms.CharField(label=_("Why reopen it?"), widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(VersionedForm):
    pass


class ReporterCommentForm(DomainErrorsMixin, forms.Form):
    body = forms.CharField(label=_("Add a comment"), widget=forms.Textarea(attrs={"rows": 4}))


class ReporterReopenForm(DomainErrorsMixin, forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    reason = forms.CharField(
        label=_("What is still wrong?"), widget=forms.Textarea(attrs={"rows": 3})
    )


BULK_ACTIONS = [
    ("assign", _("Assign to")),
    ("triage", _("Triage as")),
    ("resolve", _("Resolve")),
    ("await_reporter", _("Wait for the reporter")),
    ("close", _("Close")),
    ("tag", _("Add tags")),
]


class BulkForm(DomainErrorsMixin, forms.Form):
    action = forms.ChoiceField(label=_("Action"), choices=BULK_ACTIONS)
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[("", "—"), *PRIORITY_CHOICES]
    )
    resolution = forms.CharField(label=_("Resolution"), required=False, max_length=10_000)
    tags = forms.CharField(label=_("Tags (separated by commas)"), required=False, max_length=2000)
    comment = forms.CharField(
        label=_("Question to each reporter"), required=False, max_length=10_000
    )
    # Every issue the queue's filter matches, across its pages, rather than the boxes ticked.
    all_matching = forms.BooleanField(required=False)
    filter = forms.CharField(required=False, max_length=2000)
    confirmed = forms.BooleanField(required=False)

    def __init__(self, *args, staff=(), categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", "—"), *((n, n) for n in staff)]
        self.fields["category"].choices = [("", "—"), *categories]

    # What each action cannot do without, asked once for all the issues rather than refused
    # by each of them (a triage takes a category and a priority: Issue.triage).
    REQUIRED = {
        "assign": {"assignee": _("Choose whom to assign to.")},
        "triage": {
            "category": _("Choose a category to triage with."),
            "priority": _("Choose a priority to triage with."),
        },
    }

    def clean(self):
        data = super().clean()
        for field, message in self.REQUIRED.get(data.get("action"), {}).items():
            if not data.get(field) and field not in self.errors:
                self.add_error(field, message)
        return data


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the staff pages and your mail"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each language by its own name, so that anyone finds theirs.
        self.fields["language"].choices = [
            (code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES
        ]


class NotificationSettingsForm(forms.ModelForm):
    new_issue_categories = forms.MultipleChoiceField(
        label=_("Categories"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Used when you chose the categories above."),
    )

    class Meta:
        model = NotificationSettings
        fields = ["new_issues", "new_issue_categories", "on_assignment", "on_reporter_reply"]
        fields += ["on_reopen"]
        labels = {
            "new_issues": _("New issues"),
            "on_assignment": _("Mail me when somebody assigns an issue to me"),
            "on_reporter_reply": _("Mail me when a reporter replies on my issue"),
            "on_reopen": _("Mail me when a reporter reopens my issue"),
        }
        widgets = {"new_issues": forms.RadioSelect}

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_issue_categories"].choices = list(categories)

    def clean(self):
        data = super().clean()
        chose_categories = data.get("new_issues") == NotificationSettings.NewIssues.CATEGORIES
        if chose_categories and not data.get("new_issue_categories"):
            # Saved, it would silently mail nothing.
            self.add_error(
                "new_issue_categories",
                _("Tick at least one category, or choose another option for new issues."),
            )
        return data
