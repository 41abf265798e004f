"""Which reporter comments one mail to the assignee tells of, and when (issues_domain.digest)."""

import dataclasses
import uuid
from datetime import UTC, datetime, timedelta

from expects import be_none, equal, expect

from issues_domain.audience import Recipient
from issues_domain.digest import Digest, Wait, reporter_comment_digest
from issues_domain.events import IssueCommented
from issues_domain.values import Actor
from tests.domain.contexts import ALICE, BOB, STAFF, With_an_assigned_issue, report_an_issue

WINDOW = timedelta(seconds=120)
T0 = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


class With_a_burst_of_reporter_comments(With_an_assigned_issue):
    """Fred comments five times in 40 s; Bob answers and Alice writes a note in between."""

    def given_fred_bob_and_alice_comment(self):
        self.fred = Actor.reporter(self.issue.reporter)
        self.comments: list[IssueCommented] = []
        for second, author, visibility in [
            (0, self.fred, "public"),
            (10, self.fred, "public"),
            (15, BOB, "public"),
            (20, self.fred, "public"),
            (25, ALICE, "internal"),
            (30, self.fred, "public"),
            (40, self.fred, "public"),
        ]:
            self.comment_at(second, author, visibility)
        self.by_fred = [c for c in self.comments if c.actor == self.fred]
        self.told: set[uuid.UUID] = set()

    def comment_at(self, second: int, author: Actor, visibility: str = "public"):
        self.issue.comment(uuid.uuid4(), author, f"Comment at {second} s.", visibility)
        event = self.issue.events.pop()
        self.comments.append(dataclasses.replace(event, occurred_at=T0 + timedelta(seconds=second)))

    def digest_for(self, comment: IssueCommented, *, at_second: float):
        return reporter_comment_digest(
            comment,
            comments_so_far=self.comments,
            told=self.told,
            now=T0 + timedelta(seconds=at_second),
            window=WINDOW,
        )


class When_a_reporter_comment_is_delivered_within_its_window(With_a_burst_of_reporter_comments):
    def because_the_second_comment_is_delivered_at_once(self):
        self.result = self.digest_for(self.by_fred[1], at_second=10)

    def it_should_wait_until_the_comment_is_a_window_old(self):
        expect(self.result).to(equal(Wait(T0 + timedelta(seconds=130))))


class When_the_first_comment_of_a_burst_is_a_window_old(With_a_burst_of_reporter_comments):
    def because_it_is_delivered(self):
        self.result = self.digest_for(self.by_fred[0], at_second=120)

    def it_should_tell_the_assignee_of_the_five_reporter_comments_oldest_first(self):
        expect(self.result).to(equal(Digest(Recipient.staff("bob"), tuple(self.by_fred))))

    def it_should_be_named_after_the_first_comment(self):
        expect(self.result.first).to(equal(self.by_fred[0]))


class When_a_later_comment_of_a_told_burst_is_delivered(With_a_burst_of_reporter_comments):
    def given_the_digest_told_of_all_five(self):
        self.told = {comment.event_id for comment in self.by_fred}

    def because_the_last_comment_is_delivered(self):
        self.result = self.digest_for(self.by_fred[-1], at_second=160)

    def it_should_tell_nothing_more(self):
        expect(self.result).to(be_none)


class When_a_second_burst_follows_a_told_one(With_a_burst_of_reporter_comments):
    def given_the_first_burst_was_told_and_fred_comments_again_later(self):
        self.told = {comment.event_id for comment in self.by_fred}
        self.comment_at(300, self.fred)
        self.comment_at(310, self.fred)

    def because_the_first_comment_of_the_second_burst_is_a_window_old(self):
        self.result = self.digest_for(self.comments[-2], at_second=420)

    def it_should_tell_only_the_second_burst(self):
        expect(self.result.comments).to(equal(tuple(self.comments[-2:])))


class When_a_later_comment_is_due_while_the_first_is_untold(With_a_burst_of_reporter_comments):
    """The first comment's delivery may be sending the digest right now."""

    def because_the_second_comment_is_delivered_after_its_window(self):
        self.result = self.digest_for(self.by_fred[1], at_second=130)

    def it_should_leave_the_digest_to_the_first_for_a_window(self):
        expect(self.result).to(equal(Wait(T0 + 2 * WINDOW)))


class When_the_first_comment_s_own_mail_never_went(With_a_burst_of_reporter_comments):
    """Its delivery failed: a later comment's delivery tells of it too, under its name."""

    def because_the_second_comment_is_delivered_a_window_after_the_first_was_due(self):
        self.result = self.digest_for(self.by_fred[1], at_second=240)

    def it_should_tell_the_whole_burst_named_after_the_first(self):
        expect((self.result.first, self.result.comments)).to(
            equal((self.by_fred[0], tuple(self.by_fred)))
        )


class When_a_staff_comment_is_delivered(With_a_burst_of_reporter_comments):
    def because_bob_s_answer_is_delivered(self):
        self.result = self.digest_for(self.comments[2], at_second=500)

    def it_should_tell_the_assignee_nothing(self):
        expect(self.result).to(be_none)


class When_the_issue_changed_hands_between_reporter_comments(With_a_burst_of_reporter_comments):
    def given_alice_gave_it_to_carol_and_fred_commented_again(self):
        self.issue.assign("carol", ALICE, STAFF)
        self.issue.events.clear()
        self.comment_at(50, self.fred)

    def because_fred_s_comment_to_carol_is_a_window_old(self):
        self.result = self.digest_for(self.comments[-1], at_second=170)

    def it_should_tell_carol_only_of_the_comment_made_while_it_was_hers(self):
        expect((self.result.to.username, self.result.comments)).to(
            equal(("carol", (self.comments[-1],)))
        )


class With_reporter_comments_on_an_issue_nobody_has(With_a_burst_of_reporter_comments):
    """Fred answered twice before Alice resolved the issue, which nobody has, and twice after."""

    def given_fred_commented_around_alices_resolution(self):
        self.issue = report_an_issue()
        self.comments, self.told = [], set()
        self.comment_at(0, self.fred)
        self.comment_at(10, self.fred)
        self.issue.mark_as_resolved("Replaced the fuser.", ALICE)
        self.resolutions = [self.issue.events.pop()]
        self.comment_at(20, self.fred)
        self.comment_at(30, self.fred)

    def digest_for(self, comment: IssueCommented, *, at_second: float):
        return reporter_comment_digest(
            comment,
            comments_so_far=self.comments,
            resolutions=self.resolutions,
            told=self.told,
            now=T0 + timedelta(seconds=at_second),
            window=WINDOW,
        )


class When_a_comment_after_the_resolution_is_a_window_old(
    With_reporter_comments_on_an_issue_nobody_has
):
    def because_the_first_answer_to_the_resolution_is_delivered(self):
        self.result = self.digest_for(self.comments[2], at_second=140)

    def it_should_tell_alice_who_resolved_it_of_the_comments_since(self):
        expect(self.result).to(equal(Digest(Recipient.staff("alice"), tuple(self.comments[2:]))))


class When_a_comment_before_the_resolution_is_delivered(
    With_reporter_comments_on_an_issue_nobody_has
):
    def because_the_first_comment_is_delivered(self):
        self.result = self.digest_for(self.comments[0], at_second=500)

    def it_should_tell_nobody_as_nobody_had_resolved_it_yet(self):
        expect(self.result).to(be_none)
