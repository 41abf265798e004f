"""Where a merged duplicate continues: the issue it was merged into, or, when that one was
merged in turn, the issue at the end of the merges (bounded, and a cycle, which the domain
refuses, ends it)."""

import uuid
from datetime import UTC, datetime

from expects import be_empty, equal, expect

from issues_service.queries import MERGES_FOLLOWED, IssueDetail, continuation

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def detail(reference: str, merged_into: uuid.UUID | None = None, **fields) -> IssueDetail:
    return IssueDetail(
        **{
            "id": uuid.uuid4(),
            "reference": reference,
            "status": "closed" if merged_into else "assigned",
            "reporter_name": "Fred Bloggs",
            "reporter_email": "fred@example.org",
            "subject": "The printer jams",
            "description": "The printer jams.",
            "category": None,
            "priority": None,
            "assignee": None,
            "version": 1,
            "reported_at": NOW,
            "updated_at": NOW,
            "merged_into": merged_into,
        }
        | fields
    )


class With_issues_by_id:
    def given_no_issues(self):
        self.issues: dict[uuid.UUID, IssueDetail] = {}

    def keep(self, issue: IssueDetail) -> IssueDetail:
        self.issues[issue.id] = issue
        return issue

    def references(self, chain) -> list[str]:
        return [issue.reference for issue in chain]


class When_an_issue_was_not_merged(With_issues_by_id):
    def because_its_continuation_is_asked(self):
        self.chain = continuation(self.keep(detail("HD-1011")), self.issues.get)

    def it_should_have_none(self):
        expect(self.chain).to(be_empty)


class When_a_duplicate_was_merged_into_an_issue_merged_later_in_turn(With_issues_by_id):
    def given_hd_1015_merged_into_hd_1020_merged_into_hd_1011(self):
        final = self.keep(detail("HD-1011"))
        between = self.keep(detail("HD-1020", merged_into=final.id))
        self.duplicate = self.keep(detail("HD-1015", merged_into=between.id))

    def because_its_continuation_is_asked(self):
        self.chain = continuation(self.duplicate, self.issues.get)

    def it_should_follow_the_merges_to_the_issue_it_continues_as_now(self):
        expect(self.references(self.chain)).to(equal(["HD-1020", "HD-1011"]))


class When_merges_would_go_round_in_a_cycle(With_issues_by_id):
    def given_two_issues_each_merged_into_the_other(self):
        one_id, other_id = uuid.uuid4(), uuid.uuid4()
        self.one = self.keep(detail("HD-1001", merged_into=other_id, id=one_id))
        self.keep(detail("HD-1002", merged_into=one_id, id=other_id))

    def because_its_continuation_is_asked(self):
        self.chain = continuation(self.one, self.issues.get)

    def it_should_stop_before_coming_back(self):
        expect(self.references(self.chain)).to(equal(["HD-1002"]))


class When_merges_go_on_longer_than_are_followed(With_issues_by_id):
    def given_a_long_chain_of_merges(self):
        following = self.keep(detail("HD-2000"))
        for number in range(1, MERGES_FOLLOWED + 2):
            following = self.keep(detail(f"HD-{2000 + number}", merged_into=following.id))
        self.duplicate = following

    def because_its_continuation_is_asked(self):
        self.chain = continuation(self.duplicate, self.issues.get)

    def it_should_follow_only_so_many(self):
        expect(len(self.chain)).to(equal(MERGES_FOLLOWED))


class When_the_issue_merged_into_is_gone(With_issues_by_id):
    def given_a_duplicate_merged_into_an_issue_not_found(self):
        self.duplicate = self.keep(detail("HD-1015", merged_into=uuid.uuid4()))

    def because_its_continuation_is_asked(self):
        self.chain = continuation(self.duplicate, self.issues.get)

    def it_should_have_none(self):
        expect(self.chain).to(be_empty)
