"""Versions: a caller who acted on an older (or newer) version of an issue is refused."""

from datetime import UTC, datetime

from expects import be_none, equal, expect

from issues_domain.sla_clock import TimerKind
from tests.domain.contexts import ALICE, CATEGORIES, Refused, With_a_triaged_issue
from tests.matchers import be_refused_with, catch


class When_expecting_the_current_version(With_a_triaged_issue):
    def because_the_caller_saw_version_2(self):
        self.error = catch(lambda: self.issue.expect_version(2))

    def it_should_be_accepted(self):
        expect(self.error).to(be_none)


class When_expecting_no_particular_version(With_a_triaged_issue):
    def because_the_caller_sent_no_version(self):
        self.error = catch(lambda: self.issue.expect_version(None))

    def it_should_be_accepted(self):
        expect(self.error).to(be_none)


class When_expecting_an_older_version(Refused, With_a_triaged_issue):
    def because_the_caller_saw_version_1(self):
        self.error = catch(lambda: self.issue.expect_version(1))

    def it_should_be_refused_as_stale(self):
        expect(self.error).to(be_refused_with("stale_version"))

    def it_should_say_which_versions_differ(self):
        expect((self.error.expected, self.error.actual)).to(equal((1, 2)))


class When_expecting_a_newer_version(Refused, With_a_triaged_issue):
    def because_the_caller_claims_version_7(self):
        self.error = catch(lambda: self.issue.expect_version(7))

    def it_should_be_refused_as_stale(self):
        expect(self.error).to(be_refused_with("stale_version"))


class When_expecting_version_0_of_an_existing_issue(Refused, With_a_triaged_issue):
    def because_the_caller_sent_zero(self):
        self.error = catch(lambda: self.issue.expect_version(0))

    def it_should_be_refused_as_stale(self):
        expect(self.error).to(be_refused_with("stale_version"))


DUE = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


class With_a_deadline_flagged_after_the_caller_looked(With_a_triaged_issue):
    """The SLA's timers flag a deadline on their own: that changes nothing a person acts on."""

    def given_the_first_response_was_flagged_as_missed(self):
        self.issue.flag_sla(TimerKind.BREACH, "first_response", "first_response:breach:3600", DUE)
        self.issue.events.clear()


class When_acting_on_the_version_before_a_deadline_flag(
    With_a_deadline_flagged_after_the_caller_looked
):
    def because_the_caller_saw_version_2(self):
        self.error = catch(lambda: self.issue.expect_version(2))

    def it_should_be_accepted(self):
        expect(self.error).to(be_none)

    def it_should_still_count_the_flag_as_a_version(self):
        expect(self.issue.version).to(equal(3))


class With_a_change_after_the_deadline_flag(With_a_deadline_flagged_after_the_caller_looked):
    def given_alice_then_changed_the_priority(self):
        self.issue.triage("hardware", "urgent", ALICE, CATEGORIES)
        self.issue.events.clear()


class When_acting_on_a_version_before_a_change_and_a_deadline_flag(
    Refused, With_a_change_after_the_deadline_flag
):
    def because_the_caller_saw_version_3(self):
        self.error = catch(lambda: self.issue.expect_version(3))

    def it_should_be_refused_as_stale(self):
        expect(self.error).to(be_refused_with("stale_version"))
