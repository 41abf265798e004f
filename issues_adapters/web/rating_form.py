"""The reporter's rating form: a score from 1 to 5 and an optional comment."""

from django import forms
from django.utils.translation import gettext_lazy

from issues_adapters.web.forms import DomainErrorsMixin
from issues_domain.values import RATING_COMMENT_MAX_LENGTH

SCORE_CHOICES = [
    (1, gettext_lazy("1 - poor")),
    (2, gettext_lazy("2")),
    (3, gettext_lazy("3 - all right")),
    (4, gettext_lazy("4")),
    (5, gettext_lazy("5 - great")),
]


class RatingForm(DomainErrorsMixin, forms.Form):
    score = forms.TypedChoiceField(
        label=gettext_lazy("Your rating"),
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=gettext_lazy("Anything to add? (optional)"),
        required=False,
        max_length=RATING_COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
