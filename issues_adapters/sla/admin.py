from datetime import date, timedelta

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from issues_adapters.persistence.repository import DjangoCategoryCatalogue
from issues_adapters.sla import editing, policies, timers
from issues_adapters.sla.models import BusinessCalendarRecord, SlaPolicyRecord, SlaTimerHold
from issues_adapters.texts import explanation, translated_errors
from issues_adapters.web.labels import PRIORITY_LABELS, priority_label
from issues_domain.errors import InvalidInput, UnknownCategory
from issues_domain.sla import (
    Goal,
    SlaPolicy,
    refuse_a_second_policy_for,
    refuse_unreachable_targets,
)


class CalendarForm(forms.ModelForm):
    class Meta:
        model = BusinessCalendarRecord
        fields = [
            "name",
            "time_zone",
            "working_days",
            "opens_at",
            "closes_at",
            "round_the_clock",
            "holidays",
            "holiday_country",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A round-the-clock calendar has none; the domain says when a calendar needs some.
        self.fields["working_days"].required = False
        self.fields["working_days"].help_text = _(
            "Numbers, 0 (Monday) to 6 (Sunday): [0, 1, 2, 3, 4]"
        )
        self.fields["holidays"].help_text = _(
            'First day, last day and name of each: [["2026-12-24", "2026-12-26", "Christmas"]]'
        )

    def clean_working_days(self):
        days = self.cleaned_data.get("working_days") or []
        if not isinstance(days, list) or not all(type(day) is int for day in days):
            raise ValidationError(self.fields["working_days"].help_text)
        return days

    def clean_holiday_country(self):
        # "de" is Germany as "DE" is; the holidays know "DE" only.
        return (self.cleaned_data.get("holiday_country") or "").strip().upper()

    def clean_holidays(self):
        holidays = self.cleaned_data.get("holidays") or []
        try:
            for first, last, _name in holidays:
                date.fromisoformat(first), date.fromisoformat(last)
        except (TypeError, ValueError):
            raise ValidationError(self.fields["holidays"].help_text) from None
        return holidays

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned  # the calendar is checked whole once each field is one
        try:
            changed = policies.calendar_of(BusinessCalendarRecord(**cleaned))
            policies.refuse_without_working_time(changed)
            editing.refuse_calendar_change(self.instance, changed)
        except InvalidInput as error:
            for field, messages in translated_errors(error.errors).items():
                # The domain's opening hours are two fields here: the refusal goes on the second.
                self.add_error(
                    _FIELDS.get(field, field if field in self.fields else None), messages
                )
        return cleaned


_FIELDS = {"working_hours": "closes_at"}


@admin.register(BusinessCalendarRecord)
class CalendarAdmin(admin.ModelAdmin):
    form = CalendarForm
    list_display = ("name", "time_zone", "opens_at", "closes_at", "round_the_clock")


class PolicyForm(forms.ModelForm):
    class Meta:
        model = SlaPolicyRecord
        fields = [
            "name",
            "priority",
            "category",
            "first_response_minutes",
            "resolution_minutes",
            "calendar",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model's choices and the calendar's label are English: the queue's words instead.
        self.fields["priority"].choices = [("", "---------"), *PRIORITY_LABELS.items()]
        self.fields["calendar"].label = _("Calendar")

    def clean(self):
        cleaned = super().clean()
        for field in ("first_response_minutes", "resolution_minutes"):
            if cleaned.get(field) == 0:
                self.add_error(field, _("A target must be longer than zero."))
        self._refuse_unreachable_targets(cleaned)
        category = cleaned.get("category")
        if category and not DjangoCategoryCatalogue().is_known(category):
            self.add_error("category", explanation(UnknownCategory(category)))
        if not {"priority", "category"} & self.errors.keys():
            try:
                refuse_a_second_policy_for(
                    cleaned.get("priority"),
                    category,
                    editing.other_policies_scopes(self.instance if self.instance.pk else None),
                )
            except InvalidInput as error:
                for field, messages in translated_errors(error.errors).items():
                    self.add_error(field, messages)
        return cleaned

    def _refuse_unreachable_targets(self, cleaned: dict) -> None:
        """The domain's refusal of a target the calendar has no deadline for, on that field."""
        minutes = [cleaned.get(field) for field in ("first_response_minutes", "resolution_minutes")]
        if cleaned.get("calendar") is None or not all(minutes):
            return
        try:
            policy = SlaPolicy(
                name=cleaned.get("name") or "",
                first_response=timedelta(minutes=minutes[0]),
                resolution=timedelta(minutes=minutes[1]),
                calendar=policies.calendar_of(cleaned["calendar"]),
            )
            refuse_unreachable_targets(policy, timezone.now())
        except InvalidInput as error:
            for goal, messages in translated_errors(error.errors).items():
                self.add_error(f"{goal}_minutes" if goal in Goal.ALL else None, messages)


@admin.register(SlaPolicyRecord)
class PolicyAdmin(admin.ModelAdmin):
    form = PolicyForm
    list_display = (
        "name",
        "priority_shown",
        "category",
        "first_response_minutes",
        "resolution_minutes",
        "calendar_shown",
    )
    list_select_related = ("calendar",)

    @admin.display(description=_("priority"), ordering="priority")
    def priority_shown(self, policy):
        return priority_label(policy.priority) or None  # None: the admin's dash

    @admin.display(description=_("Calendar"), ordering="calendar")
    def calendar_shown(self, policy):
        return policy.calendar


@admin.register(SlaTimerHold)
class TimerHoldAdmin(admin.ModelAdmin):
    list_display = ("issue_id", "deadline", "attempts", "parked", "not_before", "last_error")
    list_filter = ("parked",)
    actions = ["retry"]

    @admin.action(description=_("Retry the selected parked timers"))
    def retry(self, request, queryset):
        retried = timers.retry_parked(list(queryset.values_list("id", flat=True)))
        self.message_user(
            request,
            ngettext(
                "%(count)d parked timer will be retried.",
                "%(count)d parked timers will be retried.",
                retried,
            )
            % {"count": retried},
        )
