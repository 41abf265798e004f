"""SLA clocks: started at report, stopped at their goal, paused, re-targeted, flagged once."""

import random
import uuid
from datetime import UTC, datetime, timedelta

from expects import be_none, equal, expect

from issues_domain import events
from issues_domain.business_hours import BusinessCalendar, calendar_to_data
from issues_domain.sla import Goal
from issues_domain.sla_clock import (
    ClockOperation,
    IssueClocks,
    Op,
    Outcome,
    SlaState,
    Timer,
    TimerKind,
    deadline_key,
    operations_for,
)
from issues_domain.values import Actor, IssueReporter, IssueStatus, Visibility

OFFICE = calendar_to_data(BusinessCalendar.create(time_zone="Europe/Berlin"))
RATIO = 0.8
FRIDAY_4PM = datetime(2026, 12, 4, 15, tzinfo=UTC)  # 16:00 in Berlin


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in December 2026, in UTC (Berlin is an hour ahead)."""
    return datetime(2026, 12, day, hour, minute, tzinfo=UTC)


def targets(version, when, *, first_response_hours=4, resolution_hours=16, policy="normal"):
    return ClockOperation(
        version,
        Op.RETARGET,
        when,
        {
            "first_response": first_response_hours * 3600,
            "resolution": resolution_hours * 3600,
            "calendar": OFFICE,
            "policy": policy,
        },
    )


class With_an_issue_reported_on_friday_afternoon:
    def given_its_clocks(self):
        self.operations = [
            ClockOperation(1, Op.START, FRIDAY_4PM),
            targets(2, FRIDAY_4PM),
        ]

    def clocks(self) -> IssueClocks:
        return IssueClocks.replay(self.operations)

    def state(self, goal, now):
        return self.clocks().reading(goal, now, RATIO).state


class When_nobody_has_answered_yet(With_an_issue_reported_on_friday_afternoon):
    def because_the_clocks_are_read(self):
        self.first_response = self.clocks().reading(Goal.FIRST_RESPONSE, at(4, 15, 30), RATIO)

    def it_should_be_due_on_monday_at_noon_in_berlin(self):
        expect(self.first_response.due_at).to(equal(at(7, 11)))

    def it_should_warn_when_80_percent_is_spent_on_monday_at_11_12(self):
        expect(self.first_response.warn_at).to(equal(at(7, 10, 12)))

    def it_should_be_on_track(self):
        expect(self.first_response.state).to(equal(SlaState.ON_TRACK))

    def it_should_be_breaching_soon_on_monday_at_11_30(self):
        expect(self.state(Goal.FIRST_RESPONSE, at(7, 10, 30))).to(equal(SlaState.BREACHING_SOON))

    def it_should_be_breached_on_monday_at_12_30(self):
        expect(self.state(Goal.FIRST_RESPONSE, at(7, 11, 30))).to(equal(SlaState.BREACHED))

    def it_should_warn_first(self):
        expect(self.clocks().next_timer(RATIO)).to(
            equal(
                Timer(
                    at(7, 10, 12),
                    TimerKind.WARNING,
                    Goal.FIRST_RESPONSE,
                    deadline_key(Goal.FIRST_RESPONSE, TimerKind.WARNING, timedelta(hours=4)),
                )
            )
        )


class When_a_deadline_has_been_flagged(With_an_issue_reported_on_friday_afternoon):
    def because_the_warning_and_the_breach_of_first_response_were_flagged(self):
        for version, kind in ((3, TimerKind.WARNING), (4, TimerKind.BREACH)):
            key = deadline_key(Goal.FIRST_RESPONSE, kind, timedelta(hours=4))
            self.operations.append(ClockOperation(version, Op.FLAG, at(7, 12), {"deadline": key}))

    def it_should_move_on_to_the_resolution_clock(self):
        timer = self.clocks().next_timer(RATIO)
        expect((timer.goal, timer.kind)).to(equal((Goal.RESOLUTION, TimerKind.WARNING)))

    def it_should_say_the_issue_is_flagged_as_breached(self):
        expect(self.clocks().flagged_state()).to(equal(SlaState.BREACHED))

    def it_should_say_only_warned_before_the_breach_was_flagged(self):
        warned = IssueClocks.replay(self.operations[:3])
        expect(warned.flagged_state()).to(equal(SlaState.BREACHING_SOON))
        expect(IssueClocks.replay(self.operations[:2]).flagged_state()).to(be_none)

    def it_should_not_once_the_clock_stops_or_pauses(self):
        for then in (
            ClockOperation(5, Op.RESPOND, at(7, 13)),
            ClockOperation(5, Op.PAUSE, at(7, 13)),
        ):
            expect(IssueClocks.replay([*self.operations, then]).flagged_state()).to(be_none)

    def it_should_still_once_the_clock_takes_a_new_target_as_the_breach_stands(self):
        retargeted = [*self.operations, targets(5, at(7, 13), first_response_hours=8)]
        expect(IssueClocks.replay(retargeted).flagged_state()).to(equal(SlaState.BREACHED))

    def it_should_not_for_a_warning_alone_once_the_clock_takes_a_new_target(self):
        warned = [*self.operations[:3], targets(5, at(7, 13), first_response_hours=8)]
        expect(IssueClocks.replay(warned).flagged_state()).to(be_none)


class When_staff_reply_in_public(With_an_issue_reported_on_friday_afternoon):
    def because_alice_replies_on_monday_at_10(self):
        self.operations.append(ClockOperation(3, Op.RESPOND, at(7, 9)))

    def it_should_have_met_the_first_response_target_for_good(self):
        expect(self.state(Goal.FIRST_RESPONSE, at(31, 9))).to(equal(SlaState.MET))

    def it_should_leave_the_resolution_clock_running(self):
        expect(self.state(Goal.RESOLUTION, at(7, 9))).to(equal(SlaState.ON_TRACK))


class When_the_issue_waits_on_its_reporter(With_an_issue_reported_on_friday_afternoon):
    def because_it_is_paused_on_monday_at_10_and_resumed_on_tuesday_at_10(self):
        self.operations += [
            ClockOperation(3, Op.PAUSE, at(7, 9)),
            ClockOperation(4, Op.RESUME, at(8, 9)),
        ]

    def it_should_be_paused_in_between(self):
        paused = IssueClocks.replay(self.operations[:3]).reading(Goal.RESOLUTION, at(8, 8), RATIO)
        expect((paused.state, paused.due_at)).to(equal((SlaState.PAUSED, None)))

    def it_should_not_count_the_pause(self):
        # 2 hours spent before the pause; 2 to go from Tuesday 10:00.
        expect(self.clocks().reading(Goal.FIRST_RESPONSE, at(8, 9), RATIO).due_at).to(
            equal(at(8, 11))
        )


class When_a_reopened_issue_runs_on(With_an_issue_reported_on_friday_afternoon):
    def because_it_was_resolved_on_monday_at_11_and_reopened_on_tuesday_at_9(self):
        self.operations += [
            ClockOperation(3, Op.RESOLVE, at(7, 10)),
            ClockOperation(4, Op.REOPEN, at(8, 8)),
        ]

    def it_should_count_the_resolution_time_spent_before(self):
        # 1 h on Friday + 2 h on Monday spent: 13 h to go from Tuesday 9:00 (8 h a day).
        expect(self.clocks().reading(Goal.RESOLUTION, at(8, 8), RATIO).due_at).to(equal(at(9, 13)))

    def it_should_keep_the_first_response_stopped(self):
        expect(self.clocks().reading(Goal.FIRST_RESPONSE, at(8, 8), RATIO).due_at).to(be_none)


class When_triage_makes_it_urgent(With_an_issue_reported_on_friday_afternoon):
    def because_triage_on_monday_at_10_applies_a_2_hour_resolution_target(self):
        self.operations.append(
            targets(3, at(7, 9), first_response_hours=1, resolution_hours=2, policy="urgent")
        )

    def it_should_keep_the_time_spent_and_shorten_the_deadline(self):
        # 2 hours spent already: the new 2-hour target is missed at once.
        expect(self.state(Goal.RESOLUTION, at(7, 9))).to(equal(SlaState.BREACHED))

    def it_should_name_the_new_policy(self):
        expect(self.clocks().policy).to(equal("urgent"))


class When_the_same_operations_arrive_shuffled_and_three_times(
    With_an_issue_reported_on_friday_afternoon
):
    def given_a_history(self):
        self.operations += [
            ClockOperation(3, Op.PAUSE, at(7, 9)),
            ClockOperation(4, Op.RESUME, at(7, 12)),
            ClockOperation(5, Op.RESPOND, at(7, 13)),
            targets(6, at(8, 9), resolution_hours=24),
        ]

    def because_they_are_replayed_shuffled(self):
        tripled = self.operations * 3
        random.Random(14).shuffle(tripled)
        self.shuffled = IssueClocks.replay(tripled)

    def it_should_give_the_same_clocks(self):
        expect(self.shuffled).to(equal(IssueClocks.replay(self.operations)))


class When_events_are_turned_into_clock_operations:
    def because_a_public_reply_and_an_internal_note_are_read(self):
        def comment(version, visibility):
            return events.IssueCommented(
                event_id=uuid.uuid4(),
                issue_id=uuid.uuid4(),
                version=version,
                occurred_at=FRIDAY_4PM,
                actor=Actor.staff("alice"),
                comment_id=uuid.uuid4(),
                body="On it.",
                visibility=visibility,
                reporter_email="fred@example.org",
                assignee=None,
                attachments=(),
                watchers=(),
            )

        self.reply = operations_for(comment(3, Visibility.PUBLIC))
        self.note = operations_for(comment(4, Visibility.INTERNAL))
        self.reporter_comment = operations_for(
            events.IssueCommented(
                event_id=uuid.uuid4(),
                issue_id=uuid.uuid4(),
                version=5,
                occurred_at=FRIDAY_4PM,
                actor=Actor.reporter(IssueReporter("Fred", "fred@example.org")),
                comment_id=uuid.uuid4(),
                body="Any news?",
                visibility=Visibility.PUBLIC,
                reporter_email="fred@example.org",
                assignee=None,
                attachments=(),
                watchers=(),
            )
        )

    def it_should_stop_the_first_response_clock_on_the_reply(self):
        expect([item.op for item in self.reply]).to(equal([Op.RESPOND]))

    def it_should_do_nothing_on_the_note_or_the_reporters_comment(self):
        expect(self.note + self.reporter_comment).to(equal([]))


def _event(event_type, version, when, actor=None, **data):
    return event_type(
        event_id=uuid.uuid4(),
        issue_id=ISSUE,
        version=version,
        occurred_at=when,
        actor=actor or Actor.staff("alice"),
        **data,
    )


ISSUE = uuid.uuid4()
FRED = Actor.reporter(IssueReporter("Fred", "fred@example.org"))


def asked(version, when):
    return _event(
        events.IssueAwaitingReporter,
        version,
        when,
        comment_id=uuid.uuid4(),
        comment="Which printer?",
        reporter_email="fred@example.org",
        attachments=(),
        watchers=(),
    )


def answered(version, when):
    return _event(events.ReporterAnswered, version, when, FRED, returned_to=IssueStatus.ASSIGNED)


def merged(version, when):
    return _event(
        events.IssueMerged,
        version,
        when,
        into=uuid.uuid4(),
        into_reference="HD-1043",
        reporter_email="fred@example.org",
    )


class When_the_waiting_and_merge_events_are_turned_into_clock_operations:
    def because_they_are_read(self):
        self.ops = {
            "asked": [item.op for item in operations_for(asked(3, at(7, 9)))],
            "answered": [item.op for item in operations_for(answered(4, at(8, 9)))],
            "merged": [item.op for item in operations_for(merged(5, at(8, 10)))],
        }

    def it_should_answer_and_pause_when_staff_ask_the_reporter(self):
        expect(self.ops["asked"]).to(equal([Op.RESPOND, Op.PAUSE]))

    def it_should_resume_when_the_reporter_answers(self):
        expect(self.ops["answered"]).to(equal([Op.RESUME]))

    def it_should_stop_a_merged_duplicates_clocks_as_merged(self):
        expect(self.ops["merged"]).to(equal([Op.MERGE]))


class When_staff_ask_the_reporter_and_the_reporter_answers(
    With_an_issue_reported_on_friday_afternoon
):
    def because_alice_asks_on_monday_at_10_and_fred_answers_on_tuesday_at_10(self):
        self.asked = self.operations + operations_for(asked(3, at(7, 9)))
        self.operations = self.asked + operations_for(answered(4, at(8, 9)))

    def it_should_have_met_the_first_response_target_with_the_question(self):
        expect(self.state(Goal.FIRST_RESPONSE, at(31, 9))).to(equal(SlaState.MET))

    def it_should_pause_the_resolution_clock_and_set_no_timer_meanwhile(self):
        waiting = IssueClocks.replay(self.asked)
        expect(waiting.reading(Goal.RESOLUTION, at(8, 8), RATIO).state).to(equal(SlaState.PAUSED))
        expect(waiting.next_timer(RATIO)).to(be_none)

    def it_should_run_the_resolution_clock_on_after_the_answer_without_the_pause(self):
        # 2 business hours spent before the question; 14 to go from Tuesday 10:00 (Berlin):
        # 7 on Tuesday until 17:00, 7 on Wednesday from 9:00, so due at 16:00 (15:00 UTC).
        reading = self.clocks().reading(Goal.RESOLUTION, at(8, 9), RATIO)
        expect((reading.state, reading.due_at)).to(equal((SlaState.ON_TRACK, at(9, 15))))


class When_a_duplicate_is_merged_into_another_issue(With_an_issue_reported_on_friday_afternoon):
    def because_alice_merges_it_on_monday_at_10(self):
        self.operations += operations_for(merged(3, at(7, 9)))

    def it_should_stop_both_clocks_for_good(self):
        clocks = self.clocks()
        expect([clock.stopped for clock in clocks.clocks.values()]).to(equal([True, True]))
        expect(clocks.next_timer(RATIO)).to(be_none)

    def it_should_read_both_as_merged_not_met(self):
        readings = self.clocks().readings(at(8, 9), RATIO)
        expect([reading.state for reading in readings.values()]).to(
            equal([SlaState.MERGED, SlaState.MERGED])
        )

    def it_should_count_neither_target_met_nor_missed(self):
        clocks = self.clocks()
        expect([clocks.outcome(goal) for goal in Goal.ALL]).to(equal([None, None]))


class When_an_overdue_issue_waits_on_its_reporter_who_answers(
    With_an_issue_reported_on_friday_afternoon
):
    def because_alice_asks_on_monday_at_1pm_and_fred_answers_on_tuesday_at_10(self):
        # The 4-hour first response target was missed on Monday at 12:00 (Berlin).
        self.operations += [
            ClockOperation(3, Op.PAUSE, at(7, 12)),
            ClockOperation(4, Op.RESUME, at(8, 9)),
        ]

    def it_should_stay_due_when_the_spent_time_reached_the_target(self):
        reading = self.clocks().reading(Goal.FIRST_RESPONSE, at(8, 9), RATIO)
        expect((reading.state, reading.due_at)).to(equal((SlaState.BREACHED, at(7, 11))))

    def it_should_keep_its_warning_where_80_percent_was_spent(self):
        expect(self.clocks().reading(Goal.FIRST_RESPONSE, at(8, 9), RATIO).warn_at).to(
            equal(at(7, 10, 12))
        )


class When_an_overdue_issue_is_triaged_to_a_target_it_has_missed_too(
    With_an_issue_reported_on_friday_afternoon
):
    def because_triage_on_monday_at_2pm_applies_a_2_hour_first_response_target(self):
        # Spent by then: 1 hour on Friday and 4 on Monday; the 2 hours were spent at 10:00.
        self.operations.append(
            targets(3, at(7, 13), first_response_hours=2, resolution_hours=3, policy="urgent")
        )

    def it_should_be_due_when_the_spent_time_reached_the_new_target(self):
        reading = self.clocks().reading(Goal.FIRST_RESPONSE, at(7, 13), RATIO)
        expect((reading.state, reading.due_at)).to(equal((SlaState.BREACHED, at(7, 9))))

    def it_should_set_the_due_time_of_each_clock_so(self):
        reading = self.clocks().reading(Goal.RESOLUTION, at(7, 13), RATIO)
        expect(reading.due_at).to(equal(at(7, 10)))

    def it_should_time_the_new_warning_when_80_percent_of_the_new_target_was_spent(self):
        timer = self.clocks().next_timer(RATIO)
        expect((timer.at, timer.goal, timer.kind)).to(
            equal((at(7, 8, 36), Goal.FIRST_RESPONSE, TimerKind.WARNING))
        )


class When_an_issue_is_reported_after_hours_and_its_policy_applies_a_moment_later:
    def given_its_report_and_the_policy_37_milliseconds_apart(self):
        friday_7pm = at(4, 18)  # 19:00 in Berlin: the office closed at 17:00
        self.operations = [
            ClockOperation(1, Op.START, friday_7pm),
            targets(2, friday_7pm + timedelta(milliseconds=37)),
        ]

    def because_the_clocks_are_read(self):
        self.reading = IssueClocks.replay(self.operations).reading(
            Goal.FIRST_RESPONSE, at(4, 19), RATIO
        )

    def it_should_count_no_time_before_the_policy_outside_its_hours(self):
        expect(self.reading.spent).to(equal(timedelta(0)))

    def it_should_be_due_four_office_hours_on_on_monday_at_1pm_in_berlin(self):
        expect(self.reading.due_at).to(equal(at(7, 12)))


class When_a_policy_first_applies_at_triage_after_a_weekend(
    With_an_issue_reported_on_friday_afternoon
):
    def given_no_policy_applied_when_it_was_reported_on_saturday_and_waited_until_sunday(self):
        self.operations = [
            ClockOperation(1, Op.START, at(5, 10)),
            ClockOperation(2, Op.PAUSE, at(5, 12)),
            ClockOperation(3, Op.RESUME, at(6, 10)),
        ]

    def because_triage_on_monday_at_10_applies_one(self):
        self.operations.append(targets(4, at(7, 9)))

    def it_should_count_only_the_office_hour_spent_on_monday(self):
        reading = self.clocks().reading(Goal.FIRST_RESPONSE, at(7, 9), RATIO)
        expect((reading.spent, reading.state)).to(equal((timedelta(hours=1), SlaState.ON_TRACK)))

    def it_should_be_due_three_office_hours_later(self):
        expect(self.clocks().reading(Goal.FIRST_RESPONSE, at(7, 9), RATIO).due_at).to(
            equal(at(7, 12))
        )


def flagged(version, when, goal, kind, hours):
    key = deadline_key(goal, kind, timedelta(hours=hours))
    return ClockOperation(version, Op.FLAG, when, {"deadline": key})


class When_a_breached_issue_is_triaged_to_a_longer_target_and_answered_within_it(
    With_an_issue_reported_on_friday_afternoon
):
    def because_its_4_hour_first_response_breach_was_flagged_before_a_16_hour_policy_applied(self):
        self.operations += [
            flagged(3, at(7, 11), Goal.FIRST_RESPONSE, TimerKind.WARNING, 4),
            flagged(4, at(7, 11), Goal.FIRST_RESPONSE, TimerKind.BREACH, 4),
            targets(5, at(7, 12), first_response_hours=16, resolution_hours=40, policy="low"),
        ]
        self.triaged = IssueClocks.replay(self.operations)
        self.operations.append(ClockOperation(6, Op.RESPOND, at(7, 13)))

    def it_should_count_the_breach_as_the_first_responses_outcome_from_when_it_was_flagged(self):
        expect(self.triaged.outcome(Goal.FIRST_RESPONSE)).to(equal(Outcome(False, at(7, 11))))

    def it_should_read_breached_meanwhile_due_when_it_became_overdue(self):
        reading = self.triaged.reading(Goal.FIRST_RESPONSE, at(7, 12), RATIO)
        expect((reading.state, reading.due_at)).to(equal((SlaState.BREACHED, at(7, 11))))

    def it_should_keep_the_issue_overdue_meanwhile(self):
        expect(self.triaged.flagged_state()).to(equal(SlaState.BREACHED))

    def it_should_time_no_warning_or_breach_of_the_new_first_response_target(self):
        # Only the resolution's warning is left: 80 % of its 40 hours.
        timer = self.triaged.next_timer(RATIO)
        expect((timer.goal, timer.kind)).to(equal((Goal.RESOLUTION, TimerKind.WARNING)))

    def it_should_stay_breached_once_answered(self):
        expect(self.clocks().outcome(Goal.FIRST_RESPONSE)).to(equal(Outcome(False, at(7, 13))))
        expect(self.state(Goal.FIRST_RESPONSE, at(7, 13))).to(equal(SlaState.BREACHED))

    def it_should_leave_the_resolution_undecided(self):
        expect(self.clocks().outcome(Goal.RESOLUTION)).to(be_none)


class When_an_issue_warned_of_is_answered_in_time(With_an_issue_reported_on_friday_afternoon):
    def because_only_the_warning_was_flagged_before_alice_answered(self):
        self.operations += [
            flagged(3, at(7, 10, 12), Goal.FIRST_RESPONSE, TimerKind.WARNING, 4),
            ClockOperation(4, Op.RESPOND, at(7, 10, 30)),
        ]

    def it_should_have_met_the_target(self):
        expect(self.clocks().outcome(Goal.FIRST_RESPONSE)).to(equal(Outcome(True, at(7, 10, 30))))


class When_a_policy_saved_before_targets_beyond_three_years_of_office_hours(
    With_an_issue_reported_on_friday_afternoon
):
    def because_its_ten_million_minutes_apply(self):
        ten_million_minutes = 10_000_000 / 60
        self.operations[1] = targets(
            2, FRIDAY_4PM, first_response_hours=4, resolution_hours=ten_million_minutes
        )
        self.reading = self.clocks().reading(Goal.RESOLUTION, at(7, 9), RATIO)

    def it_should_run_with_no_deadline(self):
        expect((self.reading.state, self.reading.due_at, self.reading.warn_at)).to(
            equal((SlaState.ON_TRACK, None, None))
        )

    def it_should_still_time_the_first_response(self):
        timer = self.clocks().next_timer(RATIO)
        expect((timer.goal, timer.at)).to(equal((Goal.FIRST_RESPONSE, at(7, 10, 12))))

    def it_should_set_no_timer_for_the_resolution_once_answered(self):
        answered = [*self.operations, ClockOperation(3, Op.RESPOND, at(7, 9))]
        expect(IssueClocks.replay(answered).next_timer(RATIO)).to(be_none)
