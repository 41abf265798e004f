"""Versions: a caller who acted on an older (or newer) version of an issue is refused."""

from expects import be_none, equal, expect

from tests.domain.contexts import Refused, With_a_triaged_issue
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
