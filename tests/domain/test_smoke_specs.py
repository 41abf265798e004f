import uuid

from expects import equal, expect

from issues_domain.events import IssueReported
from issues_domain.issue import Issue
from tests.fakes import FakeCategories
from tests.matchers import have_raised


class When_reporting_an_issue:
    def given_a_reporter(self):
        self.issue_id = uuid.uuid4()

    def because_they_report_it(self):
        self.issue = Issue.report(
            issue_id=self.issue_id,
            reference="HD-1",
            reporter_name="Fred",
            reporter_email="fred@example.org",
            description="Printer on fire",
            category=None,
            priority=None,
            categories=FakeCategories(),
        )

    def it_should_be_reported(self):
        expect(self.issue.status).to(equal("reported"))

    def it_should_raise_issue_reported(self):
        expect(self.issue).to(have_raised(IssueReported, reference="HD-1", version=1))
