"""Who is mailed about what: the notification handlers, fed events raised by a real Issue.

No database and no mail server: the handlers talk to a fake Notifications port.
"""

import dataclasses
import uuid
from datetime import UTC, datetime, timedelta

from expects import be_empty, contain, equal, expect, have_len

from issues_domain.events import IssueCommented, IssueResolved
from issues_domain.issue import Issue
from issues_domain.ports import IssueHistory
from issues_domain.values import Actor, IssueReporter
from issues_service.event_handlers import notification_handlers
from issues_service.messagebus import NotYet
from issues_service.notifications import (
    Notification,
    Notifications,
    Recipient,
    StaffMail,
    StaffPreferences,
)
from tests.fakes import FakeCategories, FakeStaffDirectory

CATEGORIES = FakeCategories("hardware")
STAFF = FakeStaffDirectory("alice", "bob", "carol")
ALICE = Actor.staff("alice")
BOB = Actor.staff("bob")
FRED = Actor.reporter(IssueReporter("Fred Bloggs", "fred@example.org"))


class FakeNotifications(Notifications):
    def __init__(self):
        self.sent: list[Notification] = []

    def send(self, notification: Notification) -> None:
        self.sent.append(notification)

    def told_about(self, handler: str, issue_id: uuid.UUID) -> set[uuid.UUID]:
        return {
            told
            for sent in self.sent
            if (sent.handler, sent.issue_id) == (handler, issue_id)
            for told in (sent.event_id, *sent.tells_of)
        }


class FakeIssueHistory(IssueHistory):
    def __init__(self):
        self.recorded = []

    def comments_on(self, issue_id: uuid.UUID) -> list[IssueCommented]:
        return self._of(issue_id, IssueCommented)

    def resolutions_of(self, issue_id: uuid.UUID) -> list[IssueResolved]:
        return self._of(issue_id, IssueResolved)

    def _of(self, issue_id: uuid.UUID, kind: type) -> list:
        return [
            event
            for event in self.recorded
            if isinstance(event, kind) and event.issue_id == issue_id
        ]


WINDOW = timedelta(minutes=2)


class With_the_notification_handlers:
    def given_the_handlers_on_a_fake_port(self):
        self.notifications = FakeNotifications()
        self.history = FakeIssueHistory()
        # Unless a spec says otherwise, each event is delivered once its window is over.
        self.now = datetime.now(UTC) + timedelta(days=1)
        self.handlers = notification_handlers(
            self.notifications,
            self.history,
            reporter_comment_window=WINDOW,
            clock=lambda: self.now,
        )
        self.not_yet: list[NotYet] = []
        self.issue = Issue.report(
            issue_id=uuid.uuid4(),
            reference="HD-1042",
            reporter_name="Fred Bloggs",
            reporter_email="fred@example.org",
            description="The printer is on fire.",
            category=None,
            priority=None,
            categories=CATEGORIES,
        )

    def deliver_new_events(self, *others: Issue):
        """Hand every event raised so far (by `others` first, then by the issue) to every
        handler that handles it, then forget them."""
        for issue in (*others, self.issue):
            self.history.recorded.extend(issue.events)
            for event in issue.events:
                for handler in self.handlers:
                    if isinstance(event, handler.handles):
                        try:
                            handler(event)
                        except NotYet as not_yet:
                            self.not_yet.append(not_yet)
            issue.events.clear()

    def forget_what_was_sent(self):
        self.deliver_new_events()
        self.notifications.sent.clear()

    @property
    def recipients(self) -> list[Recipient]:
        return [notification.to for notification in self.notifications.sent]

    @property
    def templates(self) -> list[str]:
        return [notification.template for notification in self.notifications.sent]


class With_an_issue_assigned_to_bob(With_the_notification_handlers):
    def given_alice_assigned_it_to_bob(self):
        self.issue.assign("bob", ALICE, STAFF)
        self.forget_what_was_sent()


class When_an_issue_is_reported(With_the_notification_handlers):
    def because_its_events_are_delivered(self):
        self.event = self.issue.events[0]
        self.deliver_new_events()

    def it_should_send_the_reporter_a_confirmation(self):
        expect(self.templates).to(equal(["report_confirmation"]))
        expect(self.recipients).to(equal([Recipient.reporter("fred@example.org", "Fred Bloggs")]))

    def it_should_key_the_mail_by_the_event(self):
        sent = self.notifications.sent[0]
        expect((sent.handler, sent.event_id)).to(
            equal(("mail.reporter.report_confirmation", self.event.event_id))
        )


class When_the_event_carries_a_correlation_id(With_the_notification_handlers):
    def because_its_events_are_delivered(self):
        # As the unit of work stamps it when the event is recorded.
        self.issue.events[0] = dataclasses.replace(self.issue.events[0], correlation_id="req-42")
        self.deliver_new_events()

    def it_should_hand_it_to_the_mail(self):
        expect(self.notifications.sent[0].correlation_id).to(equal("req-42"))


class When_somebody_else_assigns_the_issue(With_the_notification_handlers):
    def because_alice_assigns_it_to_bob(self):
        self.forget_what_was_sent()
        self.issue.assign("bob", ALICE, STAFF)
        self.deliver_new_events()

    def it_should_mail_the_new_assignee_only(self):
        expect(self.recipients).to(equal([Recipient.staff("bob")]))
        expect(self.templates).to(equal(["assignment"]))


class When_the_issue_is_reassigned(With_an_issue_assigned_to_bob):
    def because_alice_gives_it_to_carol(self):
        self.issue.assign("carol", ALICE, STAFF)
        self.deliver_new_events()

    def it_should_mail_carol_and_nobody_else(self):
        expect(self.recipients).to(equal([Recipient.staff("carol")]))

    def it_should_say_whose_it_was(self):
        expect(self.notifications.sent[0].context["previous_assignee"]).to(equal("bob"))


class When_a_staff_member_assigns_the_issue_to_themselves(With_the_notification_handlers):
    def because_bob_assigns_it_to_bob(self):
        self.forget_what_was_sent()
        self.issue.assign("bob", BOB, STAFF)
        self.deliver_new_events()

    def it_should_mail_nobody(self):
        expect(self.notifications.sent).to(be_empty)


class When_a_staff_member_picks_the_issue(With_the_notification_handlers):
    def because_bob_picks_it(self):
        self.forget_what_was_sent()
        self.issue.pick("bob")
        self.deliver_new_events()

    def it_should_mail_nobody(self):
        expect(self.notifications.sent).to(be_empty)


class When_staff_comment_publicly(With_an_issue_assigned_to_bob):
    def because_bob_answers_the_reporter(self):
        self.issue.comment(uuid.uuid4(), BOB, "Have you tried turning it off?", "public")
        self.deliver_new_events()

    def it_should_mail_the_reporter_only(self):
        expect(self.recipients).to(equal([Recipient.reporter("fred@example.org")]))
        expect(self.templates).to(equal(["public_comment"]))

    def it_should_carry_the_comment(self):
        expect(self.notifications.sent[0].context).to(
            equal({"author": "bob", "body": "Have you tried turning it off?", "attachments": []})
        )


class When_staff_write_an_internal_note(With_an_issue_assigned_to_bob):
    def because_alice_writes_a_note(self):
        self.issue.comment(uuid.uuid4(), ALICE, "Fred breaks a printer a week.", "internal")
        self.deliver_new_events()

    def it_should_mail_nobody(self):
        expect(self.notifications.sent).to(be_empty)


class When_the_reporter_comments(With_an_issue_assigned_to_bob):
    def because_fred_comments(self):
        self.issue.comment(uuid.uuid4(), FRED, "It is still smoking.", "public")
        self.deliver_new_events()

    def it_should_mail_the_assignee_only(self):
        expect(self.recipients).to(equal([Recipient.staff("bob")]))
        expect(self.templates).to(equal(["reporter_comment"]))


class When_the_reporter_comments_three_times_in_a_row(With_an_issue_assigned_to_bob):
    def because_fred_comments_three_times_and_each_is_delivered_after_its_window(self):
        for body in ("It is still smoking.", "Now there are flames.", "Never mind, it's out."):
            self.issue.comment(uuid.uuid4(), FRED, body, "public")
        self.first = self.issue.events[0]
        self.deliver_new_events()

    def it_should_mail_the_assignee_once(self):
        expect(self.recipients).to(equal([Recipient.staff("bob")]))

    def it_should_list_the_three_comments_in_order(self):
        expect([comment["body"] for comment in self.notifications.sent[0].context["comments"]]).to(
            equal(["It is still smoking.", "Now there are flames.", "Never mind, it's out."])
        )

    def it_should_be_named_after_the_first_comment(self):
        expect(self.notifications.sent[0].event_id).to(equal(self.first.event_id))


class When_a_reporter_comment_is_delivered_within_its_window(With_an_issue_assigned_to_bob):
    def because_fred_s_comment_is_delivered_at_once(self):
        self.issue.comment(uuid.uuid4(), FRED, "It is still smoking.", "public")
        self.comment = self.issue.events[0]
        self.now = self.comment.occurred_at
        self.deliver_new_events()

    def it_should_mail_nobody_yet(self):
        expect(self.notifications.sent).to(be_empty)

    def it_should_ask_to_be_tried_again_when_the_window_is_over(self):
        expect([not_yet.due_at for not_yet in self.not_yet]).to(
            equal([self.comment.occurred_at + WINDOW])
        )


class When_the_reporter_comments_on_an_unassigned_issue(With_the_notification_handlers):
    def because_fred_comments(self):
        self.forget_what_was_sent()
        self.issue.comment(uuid.uuid4(), FRED, "Any news?", "public")
        self.deliver_new_events()

    def it_should_mail_nobody(self):
        expect(self.notifications.sent).to(be_empty)


class With_an_issue_alice_resolved_without_taking_it(With_the_notification_handlers):
    def given_alice_resolved_it_while_nobody_had_it(self):
        self.issue.mark_as_resolved("Replaced the fuser.", ALICE)
        self.forget_what_was_sent()


class When_the_reporter_answers_the_resolution_of_an_issue_nobody_has(
    With_an_issue_alice_resolved_without_taking_it
):
    def because_fred_comments_twice(self):
        self.issue.comment(uuid.uuid4(), FRED, "Still jams.", "public")
        self.issue.comment(uuid.uuid4(), FRED, "On every page.", "public")
        self.deliver_new_events()

    def it_should_tell_alice_who_resolved_it_of_both_in_one_mail(self):
        expect(list(zip(self.templates, self.recipients, strict=True))).to(
            equal([("reporter_comment", Recipient.staff("alice"))])
        )
        comments = self.notifications.sent[0].context["comments"]
        expect([comment["body"] for comment in comments]).to(
            equal(["Still jams.", "On every page."])
        )

    def it_should_leave_the_issue_resolved(self):
        expect(self.issue.status).to(equal("resolved"))


class When_a_watcher_answers_the_resolution_of_an_issue_nobody_has(
    With_an_issue_alice_resolved_without_taking_it
):
    """As a merged duplicate's reporter does, answering the mail of a merge into it."""

    def given_jane_watches_it(self):
        self.issue.add_watcher("jane@example.org", ALICE)
        self.forget_what_was_sent()

    def because_jane_comments(self):
        jane = Actor.watcher("jane@example.org")
        self.issue.comment(uuid.uuid4(), jane, "Not fixed for me.", "public")
        self.deliver_new_events()

    def it_should_tell_alice_who_resolved_it(self):
        expect(list(zip(self.templates, self.recipients, strict=True))).to(
            equal([("reporter_comment", Recipient.staff("alice"))])
        )


class When_the_reporter_comments_after_a_reopen_and_a_second_resolution(
    With_an_issue_alice_resolved_without_taking_it
):
    def given_bob_reopened_and_resolved_it_again(self):
        self.issue.reopen("Not fixed.", BOB)
        self.issue.mark_as_resolved("Replaced the drum too.", BOB)
        self.forget_what_was_sent()

    def because_fred_comments(self):
        self.issue.comment(uuid.uuid4(), FRED, "Thanks, it works.", "public")
        self.deliver_new_events()

    def it_should_tell_bob_who_resolved_it_last(self):
        expect(self.recipients).to(equal([Recipient.staff("bob")]))


class When_the_reporter_comments_on_a_resolved_issue_someone_has(With_an_issue_assigned_to_bob):
    def given_alice_resolved_bobs_issue(self):
        self.issue.mark_as_resolved("Replaced the fuser.", ALICE)
        self.forget_what_was_sent()

    def because_fred_comments(self):
        self.issue.comment(uuid.uuid4(), FRED, "Still jams.", "public")
        self.deliver_new_events()

    def it_should_tell_the_assignee(self):
        expect(self.recipients).to(equal([Recipient.staff("bob")]))


class When_the_issue_is_resolved(With_an_issue_assigned_to_bob):
    def because_bob_resolves_it(self):
        self.issue.mark_as_resolved("Replaced the fuser.", BOB)
        self.deliver_new_events()

    def it_should_mail_the_reporter(self):
        expect(self.recipients).to(equal([Recipient.reporter("fred@example.org")]))
        expect(self.templates).to(equal(["resolution"]))


class When_the_assignee_changes_after_a_reporter_comment(With_an_issue_assigned_to_bob):
    """Recipients are fixed when the event is recorded: a later reassignment redirects nothing."""

    def because_fred_comments_then_carol_gets_the_issue_before_delivery(self):
        self.issue.comment(uuid.uuid4(), FRED, "Still broken.", "public")
        self.issue.assign("carol", ALICE, STAFF)
        self.deliver_new_events()

    def it_should_mail_bob_about_the_comment_and_carol_about_the_assignment(self):
        expect(list(zip(self.templates, self.recipients, strict=True))).to(
            equal(
                [
                    ("reporter_comment", Recipient.staff("bob")),
                    ("assignment", Recipient.staff("carol")),
                ]
            )
        )


class When_the_handlers_are_listed(With_the_notification_handlers):
    def because_we_look_at_them(self):
        self.names = [handler.name for handler in self.handlers]

    def it_should_give_each_a_distinct_stable_name(self):
        expect(set(self.names)).to(have_len(len(self.names)))

    def it_should_mark_every_one_as_sending_mail_so_replay_skips_them(self):
        expect([handler.sends_mail for handler in self.handlers]).not_to(contain(False))


class When_staff_wait_on_the_reporter(With_an_issue_assigned_to_bob):
    def because_bob_asks_the_reporter(self):
        self.issue.await_reporter(uuid.uuid4(), "Which printer model?", BOB)
        self.deliver_new_events()

    def it_should_mail_the_reporter_that_we_wait_on_them(self):
        expect(self.recipients).to(equal([Recipient.reporter("fred@example.org")]))
        expect(self.templates).to(equal(["awaiting_reporter"]))

    def it_should_carry_the_question(self):
        expect(self.notifications.sent[0].context).to(
            equal({"author": "bob", "body": "Which printer model?", "attachments": []})
        )


class When_staff_wait_on_the_reporter_of_a_watched_issue(With_an_issue_assigned_to_bob):
    def given_jane_watches_it(self):
        self.issue.add_watcher("jane@example.org", BOB)
        self.deliver_new_events()
        self.notifications.sent.clear()

    def because_bob_asks_the_reporter(self):
        self.issue.await_reporter(uuid.uuid4(), "Which printer model?", BOB)
        self.deliver_new_events()

    def it_should_mail_the_reporter_and_copy_the_watcher(self):
        expect(self.recipients).to(
            equal([Recipient.reporter("fred@example.org"), Recipient.watcher("jane@example.org")])
        )
        expect(self.templates).to(equal(["awaiting_reporter", "awaiting_reporter"]))


class With_a_duplicate_watched_by_anna(With_an_issue_assigned_to_bob):
    def given_karls_duplicate_watched_by_anna(self):
        self.duplicate = Issue.report(
            issue_id=uuid.uuid4(),
            reference="HD-1043",
            reporter_name="Karl Kunde",
            reporter_email="karl@example.org",
            description="The printer smokes.",
            category=None,
            priority=None,
            categories=CATEGORIES,
            watchers=("anna@example.org",),
        )
        self.duplicate.events.clear()


class When_a_watched_duplicate_is_merged_into_the_issue(With_a_duplicate_watched_by_anna):
    def because_alice_merges_it_into_the_issue(self):
        self.duplicate.merge_into(self.issue, ALICE)
        self.merged = self.duplicate.events[-1]
        self.deliver_new_events(self.duplicate)

    def it_should_tell_its_reporter_and_its_watcher_it_was_merged_not_that_they_are_copied(self):
        expect(self.recipients).to(
            equal([Recipient.reporter("karl@example.org"), Recipient.watcher("anna@example.org")])
        )
        expect(self.templates).to(equal(["merged", "merged"]))

    def it_should_mail_them_about_the_duplicate_naming_the_issue_it_continues_as(self):
        expect({sent.issue_id for sent in self.notifications.sent}).to(equal({self.duplicate.id}))
        expect([sent.context for sent in self.notifications.sent]).to(
            equal([{"into_reference": "HD-1042", "into_resolution": None}] * 2)
        )

    def it_should_key_each_mail_by_the_merge(self):
        expect([(sent.handler, sent.event_id) for sent in self.notifications.sent]).to(
            equal(
                [
                    ("mail.reporter.merged", self.merged.event_id),
                    (
                        "mail.watcher.merged",
                        uuid.uuid5(self.merged.event_id, "anna@example.org"),
                    ),
                ]
            )
        )


class When_a_duplicate_is_merged_into_a_resolved_issue(With_a_duplicate_watched_by_anna):
    def given_bob_resolved_the_issue(self):
        self.issue.mark_as_resolved("New drum fitted.", BOB)
        self.forget_what_was_sent()

    def because_alice_merges_the_duplicate_into_it(self):
        self.duplicate.merge_into(self.issue, ALICE)
        self.deliver_new_events(self.duplicate)

    def it_should_tell_them_it_is_resolved_already_and_what_the_resolution_said(self):
        expect(self.templates).to(equal(["merged", "merged"]))
        expect(self.notifications.sent[0].context).to(
            equal({"into_reference": "HD-1042", "into_resolution": "New drum fitted."})
        )


class When_a_duplicate_is_merged_into_an_issue_its_followers_hear_of_already(
    With_a_duplicate_watched_by_anna
):
    def given_karl_and_anna_watch_the_issue(self):
        self.issue.add_watcher("karl@example.org", BOB)
        self.issue.add_watcher("anna@example.org", BOB)
        self.forget_what_was_sent()

    def because_alice_merges_the_duplicate_into_it(self):
        self.duplicate.merge_into(self.issue, ALICE)
        self.deliver_new_events(self.duplicate)

    def it_should_still_tell_them_their_issue_was_merged(self):
        expect(self.recipients).to(
            equal([Recipient.reporter("karl@example.org"), Recipient.watcher("anna@example.org")])
        )
        expect(self.templates).to(equal(["merged", "merged"]))


# -- staff choices (/staff/settings/) -------------------------------------------------------


class FakePreferences(StaffPreferences):
    def __init__(self, turned_off=(), new_issues=None):
        self.turned_off = set(turned_off)  # (username, StaffMail)
        self.new_issues = new_issues or {}  # username -> None (all) or a set of categories

    def wants(self, username, mail):
        return (username, mail) not in self.turned_off

    def new_issue_subscribers(self, category):
        return [
            username
            for username, categories in self.new_issues.items()
            if categories is None or category in categories
        ]


class With_staff_choices(With_the_notification_handlers):
    preferences = FakePreferences()

    def given_the_handlers_with_these_choices(self):
        self.handlers = notification_handlers(
            self.notifications,
            self.history,
            reporter_comment_window=WINDOW,
            clock=lambda: self.now,
            preferences=self.preferences,
        )


class When_an_issue_is_reported_to_staff_who_chose_new_issues(With_staff_choices):
    preferences = FakePreferences(new_issues={"alice": None, "bob": {"network"}, "carol": set()})

    def because_its_events_are_delivered(self):
        self.deliver_new_events()

    def it_should_mail_each_who_chose_all_or_its_category(self):
        staff = [n.to for n in self.notifications.sent if n.template == "staff_new_issue"]
        expect(staff).to(equal([Recipient.subscriber("alice")]))

    def it_should_key_each_mail_by_its_recipient_and_offer_unsubscribing(self):
        sent = next(n for n in self.notifications.sent if n.template == "staff_new_issue")
        expect((sent.handler, sent.unsubscribe)).to(
            equal(("mail.staff.new_issue:alice", StaffMail.NEW_ISSUE))
        )


class When_an_issue_is_assigned_to_somebody_who_turned_that_off(With_staff_choices):
    preferences = FakePreferences(turned_off={("bob", StaffMail.ASSIGNMENT)})

    def because_alice_assigns_it_to_bob(self):
        self.forget_what_was_sent()
        self.issue.assign("bob", ALICE, STAFF)
        self.deliver_new_events()

    def it_should_mail_nobody(self):
        expect(self.notifications.sent).to(be_empty)


class When_the_reporter_reopens_the_assignees_issue(With_staff_choices):
    def because_fred_reopens_it(self):
        self.issue.assign("bob", ALICE, STAFF)
        self.issue.mark_as_resolved("Replaced the fuser.", BOB)
        self.forget_what_was_sent()
        self.issue.reopen("Still on fire.", FRED)
        self.deliver_new_events()

    def it_should_mail_the_assignee_the_reason(self):
        expect(self.templates).to(equal(["reopened"]))
        expect(self.recipients).to(equal([Recipient.staff("bob")]))
        expect(self.notifications.sent[0].context).to(
            equal({"author": "Fred Bloggs", "reason": "Still on fire."})
        )

    def it_should_offer_unsubscribing(self):
        expect(self.notifications.sent[0].unsubscribe).to(equal(StaffMail.REOPEN))


class When_the_reporter_reopens_an_issue_nobody_has(With_an_issue_alice_resolved_without_taking_it):
    def because_fred_reopens_it(self):
        self.issue.reopen("Still on fire.", FRED)
        self.deliver_new_events()

    def it_should_mail_alice_who_resolved_it_the_reason(self):
        expect(list(zip(self.templates, self.recipients, strict=True))).to(
            equal([("reopened", Recipient.staff("alice"))])
        )
        expect(self.notifications.sent[0].context).to(
            equal({"author": "Fred Bloggs", "reason": "Still on fire."})
        )
        expect(self.notifications.sent[0].unsubscribe).to(equal(StaffMail.REOPEN))


class When_the_reporter_reopens_an_issue_nobody_has_after_a_second_resolution(
    With_an_issue_alice_resolved_without_taking_it
):
    def given_bob_reopened_and_resolved_it_again(self):
        self.issue.reopen("Not fixed.", BOB)
        self.issue.mark_as_resolved("Replaced the drum too.", BOB)
        self.forget_what_was_sent()

    def because_fred_reopens_it(self):
        self.issue.reopen("Still on fire.", FRED)
        self.deliver_new_events()

    def it_should_mail_bob_who_resolved_it_last(self):
        expect(self.recipients).to(equal([Recipient.staff("bob")]))


class When_staff_reopen_the_issue_themselves(With_staff_choices):
    def because_alice_reopens_it(self):
        self.issue.assign("bob", ALICE, STAFF)
        self.issue.mark_as_resolved("Replaced the fuser.", BOB)
        self.forget_what_was_sent()
        self.issue.reopen("Not really fixed.", ALICE)
        self.deliver_new_events()

    def it_should_not_mail_about_a_reopen(self):
        expect(self.templates).not_to(contain("reopened"))


class When_the_reporter_comments_and_the_assignee_turned_that_off(With_staff_choices):
    preferences = FakePreferences(turned_off={("bob", StaffMail.REPORTER_REPLY)})

    def because_fred_comments(self):
        self.issue.assign("bob", ALICE, STAFF)
        self.forget_what_was_sent()
        self.issue.comment(uuid.uuid4(), FRED, "Any news?", "public")
        self.deliver_new_events()

    def it_should_mail_nobody(self):
        expect(self.notifications.sent).to(be_empty)
