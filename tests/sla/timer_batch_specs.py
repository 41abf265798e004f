"""Many deadlines falling due together: the timer pass flags them in batches (one transaction
a batch, each flag its own command and unit of work), reading what a flag needs once a batch
and loading an issue's row without its timeline. Real database, controllable clock."""

import uuid
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection, transaction
from expects import be_a, be_below_or_equal, contain, equal, expect, have_len

from issues_adapters.persistence import repository, unit_of_work
from issues_adapters.persistence.event_log import to_event
from issues_adapters.persistence.models import (
    CommentRecord,
    IssueRecord,
    RecordedEvent,
    WatcherRecord,
)
from issues_adapters.persistence.repository import rows_read_ahead
from issues_adapters.persistence.unit_of_work import DjangoUnitOfWork
from issues_adapters.sla import clocks, timers
from issues_adapters.sla.defaults import seed_policies
from issues_adapters.sla.models import SlaTimerHold
from issues_adapters.wiring import message_bus
from issues_domain import commands, events
from tests.events.support import ALICE, BOB, make_staff
from tests.matchers import catch

WARNING = "first_response:warning:1800"  # "urgent": 30 minutes (1,800 s) to respond


def recorded(event_type) -> list:
    return [to_event(row) for row in RecordedEvent.objects.filter(event_type=event_type.__name__)]


class With_urgent_issues:
    """`count` urgent issues reported through the bus, their clocks kept from their events;
    `self.late` is when every one's first-response warning is due."""

    count = 1

    def given_urgent_issues(self):
        make_staff("alice", "bob")
        seed_policies()
        self.bus = message_bus()
        self.issue_ids = [
            self.bus.handle(
                commands.ReportIssue(
                    reporter_name="Fred Bloggs",
                    reporter_email=f"fred{number}@example.org",
                    description="The server room is flooding.",
                    priority="urgent",
                )
            )
            for number in range(self.count)
        ]
        self.issue_id = self.issue_ids[0]
        clocks.apply_all([to_event(row) for row in RecordedEvent.objects.order_by("position")])
        reported = max(event.occurred_at for event in recorded(events.IssueReported))
        self.late = reported + timedelta(minutes=25)


@pytest.mark.django_db
class When_forty_deadlines_fall_due_together(With_urgent_issues):
    count = 40

    def because_the_timers_pass(self):
        self.statements = []

        def note(execute, sql, params, many, context):
            self.statements.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(note):
            self.done = timers.tick(self.bus, now=self.late)

    def it_should_flag_each_once(self):
        expect(self.done.fired).to(equal(40))
        expect(sorted(str(event.issue_id) for event in recorded(events.SlaWarned))).to(
            equal(sorted(map(str, self.issue_ids)))
        )

    def it_should_read_the_issues_in_one_statement(self):
        reads = [
            sql
            for sql in self.statements
            if sql.startswith("SELECT") and 'FROM "issues_issue"' in sql
        ]
        expect(reads).to(have_len(1))

    def it_should_write_them_in_a_few_statements_for_the_batch(self):
        # Finding, the batch's transaction, locking, reading ahead, the savepoint of writing
        # together, the issues' updates, the events' inserts and their positions, holding.
        expect(len(self.statements)).to(be_below_or_equal(12))

    def it_should_record_each_flag_at_the_version_after_its_report(self):
        expect({event.version for event in recorded(events.SlaWarned)}).to(equal({3}))
        expect(set(IssueRecord.objects.values_list("version", flat=True))).to(equal({3}))

    def it_should_hold_each_deadline_until_its_flag_reaches_the_clocks(self):
        expect(SlaTimerHold.objects.filter(deadline=WARNING).count()).to(equal(40))


@pytest.mark.django_db
class When_a_deadline_of_an_issue_with_comments_and_watchers_is_flagged(With_urgent_issues):
    def given_a_comment_a_note_and_a_watcher(self):
        self.bus.handle(
            commands.CommentOnIssue(issue_id=self.issue_id, author=BOB, body="Pumping.")
        )
        self.bus.handle(
            commands.CommentOnIssue(
                issue_id=self.issue_id, author=ALICE, body="Call facilities.", visibility="internal"
            )
        )
        self.bus.handle(
            commands.AddWatcher(issue_id=self.issue_id, email="boss@example.org", actor=ALICE)
        )
        self.late += timedelta(hours=3, minutes=15)  # the resolution warning: 80 % of 4 hours
        clocks.apply_all([to_event(row) for row in RecordedEvent.objects.order_by("position")])

    def because_the_timers_pass(self):
        self.done = timers.tick(self.bus, now=self.late)

    def it_should_flag_it(self):
        expect(self.done.fired).to(equal(1))
        expect(IssueRecord.objects.get(id=self.issue_id).sla_flags).to(
            equal(["resolution:warning:14400"])
        )

    def it_should_keep_its_comments_and_watchers(self):
        expect(CommentRecord.objects.filter(issue_id=self.issue_id).count()).to(equal(2))
        expect(list(WatcherRecord.objects.filter(issue_id=self.issue_id).values_list("email"))).to(
            equal([("boss@example.org",)])
        )

    def it_should_load_them_again_with_the_issue(self):
        with DjangoUnitOfWork() as uow:
            issue = uow.issues.get(self.issue_id)
        expect((len(issue.comments), issue.watchers)).to(equal((2, ["boss@example.org"])))


@pytest.mark.django_db
class When_an_issue_loaded_without_its_timeline_is_given_a_comment(With_urgent_issues):
    def because_a_command_that_should_have_loaded_it_whole_saves_it(self):
        def comment():
            with DjangoUnitOfWork() as uow:
                issue = uow.issues.get_without_timeline(self.issue_id)
                issue.comment(uuid.uuid4(), BOB, "Pumping.", "public", ())
                uow.commit()

        self.error = catch(comment)

    def it_should_refuse_to_save_it(self):
        expect(self.error).to(be_a(RuntimeError))

    def it_should_keep_nothing(self):
        expect(CommentRecord.objects.filter(issue_id=self.issue_id).count()).to(equal(0))
        expect(IssueRecord.objects.get(id=self.issue_id).version).to(equal(2))


@pytest.mark.django_db
class When_an_issue_changes_after_its_row_was_read_ahead(With_urgent_issues):
    """Cannot happen while the batch holds the rows' locks; if it did, the version check
    refuses the stale row and the flag is redone on a fresh read."""

    def because_alice_assigns_it_between_the_read_and_the_flag(self):
        with transaction.atomic(), rows_read_ahead([self.issue_id]):
            self.bus.handle(
                commands.AssignIssue(issue_id=self.issue_id, assignee="bob", actor=ALICE)
            )
            self.bus.handle(
                commands.FlagSlaWarning(
                    issue_id=self.issue_id,
                    goal="first_response",
                    deadline=WARNING,
                    due_at=self.late,
                )
            )

    def it_should_keep_the_assignment(self):
        row = IssueRecord.objects.get(id=self.issue_id)
        expect((row.assignee, row.version)).to(equal(("bob", 4)))

    def it_should_record_the_warning_for_the_assignee_after_it(self):
        (warned,) = recorded(events.SlaWarned)
        expect((warned.assignee, warned.version)).to(equal(("bob", 4)))


@pytest.mark.django_db
class When_one_flag_of_a_batch_fails_after_writing(With_urgent_issues):
    """Writing the batch together fails with it; then each is written on its own."""

    count = 3

    def because_recording_its_event_fails(self):
        self.broken = self.issue_ids[1]

        def failing(record):
            def record_events(recording):
                if any(event.issue_id == self.broken for event in recording):
                    raise ConnectionError("the log's disk is full")
                return record(recording)

            return record_events

        with (
            mock.patch.object(unit_of_work, "record_events", failing(unit_of_work.record_events)),
            mock.patch.object(unit_of_work, "record_many", failing(unit_of_work.record_many)),
        ):
            self.done = timers.tick(self.bus, now=self.late)

    def it_should_flag_the_others(self):
        expect((self.done.fired, self.done.failed)).to(equal((2, 1)))
        expect([str(event.issue_id) for event in recorded(events.SlaWarned)]).not_to(
            contain(str(self.broken))
        )
        expect(recorded(events.SlaWarned)).to(have_len(2))

    def it_should_roll_back_what_the_failing_one_wrote(self):
        row = IssueRecord.objects.get(id=self.broken)
        expect((row.sla_flags, row.version)).to(equal(([], 2)))

    def it_should_try_it_again_later(self):
        hold = SlaTimerHold.objects.get(issue_id=self.broken)
        expect((hold.attempts, hold.parked, hold.not_before > self.late)).to(
            equal((1, False, True))
        )


@pytest.mark.django_db
class When_a_command_that_changes_more_than_the_issues_row_is_written_together(With_urgent_issues):
    def because_a_comment_is_sent_among_flags(self):
        def comment():
            with transaction.atomic(), unit_of_work.written_together() as together:
                self.bus.handle(
                    commands.CommentOnIssue(issue_id=self.issue_id, author=BOB, body="Pumping.")
                )
            together.write()

        self.error = catch(comment)

    def it_should_be_refused(self):
        expect(self.error).to(be_a(RuntimeError))

    def it_should_write_nothing(self):
        expect(CommentRecord.objects.filter(issue_id=self.issue_id).count()).to(equal(0))
        expect(IssueRecord.objects.get(id=self.issue_id).version).to(equal(2))


@pytest.mark.django_db
class When_a_row_of_the_batch_was_read_ahead_before_its_last_change(With_urgent_issues):
    """(As if a writer had ignored the batch's lock.) Writing together finds it stale and
    writes nothing; then each flag goes on its own, on a fresh read."""

    count = 3

    def because_the_second_row_read_ahead_is_a_version_behind(self):
        self.stale = self.issue_ids[1]
        read_ahead, self.times = timers.rows_read_ahead, []

        @contextmanager
        def one_row_a_version_behind(issue_ids):
            with read_ahead(issue_ids):
                if not self.times:
                    repository._read_ahead.get()[self.stale].version -= 1
                self.times.append(issue_ids)
                yield

        with mock.patch.object(timers, "rows_read_ahead", one_row_a_version_behind):
            self.done = timers.tick(self.bus, now=self.late)

    def it_should_have_tried_them_together_first(self):
        expect(self.times).to(have_len(2))

    def it_should_flag_each_once(self):
        expect((self.done.fired, self.done.failed)).to(equal((3, 0)))
        expect(recorded(events.SlaWarned)).to(have_len(3))

    def it_should_write_each_issue_once(self):
        expect(set(IssueRecord.objects.values_list("version", flat=True))).to(equal({3}))
