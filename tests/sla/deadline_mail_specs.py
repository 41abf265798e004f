"""An SLA warning's mail names the deadline itself (the clock's due time), not the moment of
the warning (80 % of the target), written as the reader's language writes a date, in the time
zone of the policy's calendar; a breach's mail names the deadline that was missed."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import TestCase
from expects import contain, expect, have_len

from issues_adapters.accounts.models import LanguagePreference
from issues_adapters.sla import timers
from issues_adapters.sla.defaults import seed_policies
from issues_adapters.sla.models import BusinessCalendarRecord
from issues_adapters.wiring import message_bus
from issues_domain import commands
from tests.events.support import ALICE, make_staff
from tests.sla.test_timers import report_urgent

# Mail goes out after commit; each spec's transaction is rolled back, so commit callbacks run here.
delivered = TestCase.captureOnCommitCallbacks

# "Urgent": 30 minutes to a first response, round the clock; warned at 80 %, 24 minutes on.
REPORTED = datetime(2026, 12, 6, 13, 1, 18, tzinfo=UTC)
WARNED = REPORTED + timedelta(minutes=25)
BREACHED = REPORTED + timedelta(minutes=31)


class With_an_urgent_issue_of_bobs:
    pytestmark = pytest.mark.django_db
    calendar_zone = "UTC"

    def given_the_default_policies_in_a_time_zone(self):
        make_staff("alice", "bob")
        seed_policies()
        BusinessCalendarRecord.objects.update(time_zone=self.calendar_zone)

    def given_an_urgent_issue_assigned_to_bob(self):
        self.bus = message_bus()
        with time_machine.travel(REPORTED, tick=False), delivered(execute=True):
            self.issue_id = report_urgent(self.bus)
            self.bus.handle(
                commands.AssignIssue(issue_id=self.issue_id, assignee="bob", actor=ALICE)
            )
        mail.outbox.clear()

    def timers_act_at(self, moment) -> list:
        with time_machine.travel(moment, tick=False), delivered(execute=True):
            timers.tick(self.bus)
        sent = list(mail.outbox)  # pytest-django empties the outbox before each assertion
        mail.outbox.clear()
        return sent


class When_the_first_response_of_bobs_urgent_issue_is_nearly_due(With_an_urgent_issue_of_bobs):
    def because_the_timers_warn_of_it(self):
        self.sent = self.timers_act_at(WARNED)

    def it_should_mail_bob_once(self):
        expect(self.sent).to(have_len(1))

    def it_should_name_the_deadline_not_the_moment_of_the_warning(self):
        expect(self.sent[0].body).to(contain("is due at 6 Dec 2026, 1:31 p.m. UTC:"))
        expect(self.sent[0].alternatives[0][0]).to(contain("due at 6 Dec 2026, 1:31 p.m. UTC:"))


class When_the_first_response_of_bobs_urgent_issue_is_nearly_due_and_bob_reads_german(
    With_an_urgent_issue_of_bobs
):
    def given_bob_reads_german(self):
        bob = get_user_model().objects.get(username="bob")
        LanguagePreference.objects.create(user=bob, language="de")

    def because_the_timers_warn_of_it(self):
        self.sent = self.timers_act_at(WARNED)

    def it_should_name_the_deadline_as_german_writes_a_date(self):
        expect(self.sent[0].body).to(contain("ist um 6. Dezember 2026 13:31 UTC fällig"))


class When_the_first_response_of_an_urgent_issue_in_a_berlin_calendar_is_nearly_due(
    With_an_urgent_issue_of_bobs
):
    calendar_zone = "Europe/Berlin"

    def because_the_timers_warn_of_it(self):
        self.sent = self.timers_act_at(WARNED)

    def it_should_name_the_deadline_in_the_calendars_time_zone(self):
        expect(self.sent[0].body).to(contain("is due at 6 Dec 2026, 2:31 p.m. CET:"))


class When_the_first_response_of_bobs_urgent_issue_is_missed(With_an_urgent_issue_of_bobs):
    def because_the_timers_warn_then_flag_the_breach(self):
        self.timers_act_at(BREACHED)
        self.sent = self.timers_act_at(BREACHED)

    def it_should_name_the_deadline_that_was_missed(self):
        expect(self.sent).to(have_len(1))
        expect(self.sent[0].subject).to(contain("First response target missed"))
        expect(self.sent[0].body).to(contain("missed its target at 6 Dec 2026, 1:31 p.m. UTC."))
