"""SLA policies on the issue: the most specific applies at report and after a triage that
changes priority or category; a deadline is flagged once."""

import uuid
from datetime import UTC, datetime, time, timedelta

from expects import equal, expect, have_keys, have_len

from issues_domain.business_hours import BusinessCalendar
from issues_domain.events import IssueTriaged, SlaBreached, SlaTargeted, SlaWarned
from issues_domain.sla import (
    SlaPolicy,
    policy_for,
    refuse_a_calendar_too_short_for,
    refuse_unreachable_targets,
)
from issues_domain.sla_clock import TimerKind
from issues_domain.values import Actor, IssueStatus, Priority
from tests.domain.contexts import ALICE, CATEGORIES, Refused, report_an_issue
from tests.fakes import FakeSlaPolicies
from tests.matchers import be_refused_with, catch, have_raised

OFFICE = BusinessCalendar.create(time_zone="Europe/Berlin")


def policy(name, hours, priority=None, category=None) -> SlaPolicy:
    return SlaPolicy.create(
        name=name,
        first_response=timedelta(hours=hours),
        resolution=timedelta(hours=hours * 4),
        calendar=OFFICE,
        priority=priority,
        category=category,
    )


BOOK = FakeSlaPolicies(
    policy("default", 8),
    policy("urgent", 1, priority="urgent"),
    policy("urgent network", 0.5, priority="urgent", category="network"),
    policy("network", 4, category="network"),
)
DUE = datetime(2026, 12, 7, 11, tzinfo=UTC)


class When_choosing_a_policy:
    def because_each_kind_of_issue_is_matched(self):
        def chosen(category, priority):
            return policy_for(BOOK.policies(), category, Priority.parse(priority)).name

        self.chosen = {
            "untriaged": chosen(None, None),
            "urgent": chosen("hardware", "urgent"),
            "urgent network": chosen("network", "urgent"),
            "low network": chosen("network", "low"),
        }

    def it_should_take_the_most_specific(self):
        expect(self.chosen).to(
            equal(
                {
                    "untriaged": "default",
                    "urgent": "urgent",
                    "urgent network": "urgent network",
                    "low network": "network",
                }
            )
        )


class When_a_policy_has_no_time_for_its_targets:
    def because_an_admin_gives_zero_and_negative_targets(self):
        self.error = catch(
            lambda: SlaPolicy.create(
                name="broken",
                first_response=timedelta(0),
                resolution=timedelta(hours=-1),
                calendar=OFFICE,
            )
        )

    def it_should_name_both_fields(self):
        expect(self.error.errors).to(have_keys("first_response", "resolution"))


class When_reporting_an_issue_under_policies:
    def because_an_urgent_network_issue_is_reported(self):
        self.issue = report_an_issue(category="network", priority="urgent", sla=BOOK)

    def it_should_record_the_targets_of_the_most_specific_policy(self):
        expect(self.issue).to(
            have_raised(
                SlaTargeted,
                version=2,
                policy="urgent network",
                first_response_seconds=1800,
                resolution_seconds=7200,
            )
        )

    def it_should_record_the_calendar_with_them(self):
        expect(self.issue.events[1].calendar["time_zone"]).to(equal("Europe/Berlin"))


class With_an_issue_under_the_default_policy:
    def given_a_reported_issue(self):
        self.issue = report_an_issue(sla=BOOK)
        self.issue.events.clear()


class When_triage_changes_the_priority(With_an_issue_under_the_default_policy):
    def because_alice_makes_it_urgent(self):
        self.issue.triage("hardware", "urgent", ALICE, CATEGORIES, BOOK)

    def it_should_retarget_the_clocks(self):
        expect(self.issue).to(have_raised(SlaTargeted, policy="urgent", actor=ALICE))


class When_triage_changes_nothing(With_an_issue_under_the_default_policy):
    def given_it_was_triaged(self):
        self.issue.triage("hardware", "urgent", ALICE, CATEGORIES, BOOK)
        self.issue.events.clear()

    def because_alice_triages_it_the_same_again(self):
        self.issue.triage("hardware", "urgent", ALICE, CATEGORIES, BOOK)

    def it_should_only_record_the_triage(self):
        expect([type(event) for event in self.issue.events]).to(equal([IssueTriaged]))


class When_a_deadline_is_near(With_an_issue_under_the_default_policy):
    def because_the_process_manager_flags_a_warning(self):
        self.last_changed = self.issue.updated_at
        self.issue.flag_sla(
            TimerKind.WARNING, "first_response", "first_response:warning:28800", DUE
        )

    def it_should_note_it_as_a_version_of_the_issue(self):
        expect(self.issue.version).to(equal(self.issue.events[-1].version))

    def it_should_leave_when_the_issue_was_last_changed(self):
        expect(self.issue.updated_at).to(equal(self.last_changed))

    def it_should_record_it_as_the_system(self):
        expect(self.issue).to(
            have_raised(
                SlaWarned,
                actor=Actor.system("sla"),
                goal="first_response",
                deadline="first_response:warning:28800",
                due_at=DUE,
                assignee=None,
                reference="HD-1042",
            )
        )


class With_a_breach_flagged(With_an_issue_under_the_default_policy):
    def given_it_was_breached_once(self):
        self.issue.flag_sla(TimerKind.BREACH, "resolution", "resolution:breach:115200", DUE)
        self.issue.events.clear()


class When_a_deadline_is_flagged_again(Refused, With_a_breach_flagged):
    def because_a_second_worker_flags_the_same_breach(self):
        self.error = catch(
            lambda: self.issue.flag_sla(
                TimerKind.BREACH, "resolution", "resolution:breach:115200", DUE
            )
        )

    def it_should_be_refused(self):
        expect(self.error).to(be_refused_with("sla_already_flagged"))


class When_a_breach_is_flagged_after_the_warning(With_an_issue_under_the_default_policy):
    def given_the_warning(self):
        self.issue.flag_sla(TimerKind.WARNING, "resolution", "resolution:warning:115200", DUE)
        self.issue.events.clear()

    def because_the_breach_comes(self):
        self.issue.flag_sla(TimerKind.BREACH, "resolution", "resolution:breach:115200", DUE)

    def it_should_record_the_breach(self):
        expect(self.issue.events).to(have_len(1))
        expect(self.issue).to(have_raised(SlaBreached, deadline="resolution:breach:115200"))


class With_a_resolved_issue_under_a_policy(With_an_issue_under_the_default_policy):
    def given_it_was_resolved(self):
        self.issue.mark_as_resolved("Fixed.", ALICE)
        self.issue.events.clear()


class When_a_resolved_issue_is_flagged(Refused, With_a_resolved_issue_under_a_policy):
    def because_a_late_timer_flags_its_breach(self):
        self.error = catch(
            lambda: self.issue.flag_sla(
                TimerKind.BREACH, "resolution", "resolution:breach:115200", DUE
            )
        )

    def it_should_be_refused(self):
        expect(self.error).to(be_refused_with("issue_already_resolved"))


class With_an_issue_under_a_policy_waiting_on_its_reporter(With_an_issue_under_the_default_policy):
    def given_alice_asked_the_reporter(self):
        self.issue.triage("hardware", "normal", ALICE, CATEGORIES, BOOK)
        self.issue.await_reporter(uuid.uuid4(), "Which printer?", ALICE)
        self.issue.events.clear()


class When_a_waiting_issue_is_flagged(With_an_issue_under_a_policy_waiting_on_its_reporter):
    """The lifecycle table allows it: a deadline that passed before the wait paused the clocks
    (its timer late) was still missed."""

    def because_a_late_timer_flags_its_first_response_breach(self):
        self.issue.flag_sla(TimerKind.BREACH, "first_response", "first_response:breach:28800", DUE)

    def it_should_record_the_breach(self):
        expect(self.issue).to(
            have_raised(SlaBreached, deadline="first_response:breach:28800", status="waiting")
        )

    def it_should_leave_the_issue_waiting(self):
        expect(self.issue.status).to(equal(IssueStatus.WAITING))


class With_a_merged_issue_under_a_policy(With_an_issue_under_the_default_policy):
    def given_it_was_merged_into_another(self):
        self.issue.merge_into(report_an_issue(), ALICE)
        self.issue.events.clear()


class When_a_merged_issue_is_flagged(Refused, With_a_merged_issue_under_a_policy):
    def because_a_late_timer_flags_its_breach(self):
        self.error = catch(
            lambda: self.issue.flag_sla(
                TimerKind.BREACH, "resolution", "resolution:breach:115200", DUE
            )
        )

    def it_should_be_refused(self):
        expect(self.error).to(be_refused_with("issue_closed"))


class When_a_policy_asks_for_more_working_time_than_its_calendar_has_within_three_years:
    def because_an_admin_gives_office_hours_ten_million_minutes_to_resolve(self):
        too_long = SlaPolicy.create(
            name="glacial",
            first_response=timedelta(hours=8),
            resolution=timedelta(minutes=10_000_000),
            calendar=OFFICE,
        )
        self.error = catch(lambda: refuse_unreachable_targets(too_long, DUE))

    def it_should_name_the_target_and_the_most_it_can_be(self):
        # 785 working days from Monday 7 December 2026, 12:00 in Berlin: 5 hours, then 784 of 8.
        expect(self.error.errors).to(
            equal(
                {
                    "resolution": [
                        "Too long: this calendar has 376,620 minutes of working time within "
                        "three years, the furthest a deadline is looked for."
                    ]
                }
            )
        )


class When_a_policy_fits_its_calendar:
    def because_the_default_policies_are_checked(self):
        self.errors = [catch(lambda p=p: refuse_unreachable_targets(p, DUE)) for p in BOOK.kept]

    def it_should_refuse_none(self):
        expect(self.errors).to(equal([None] * 4))


class When_an_admin_shortens_the_office_hours_a_policy_with_a_long_target_uses:
    def given_policies_on_office_hours_one_of_them_with_300_000_minutes_to_resolve(self):
        self.slow = SlaPolicy.create(
            name="glacial",
            first_response=timedelta(hours=8),
            resolution=timedelta(minutes=300_000),
            calendar=OFFICE,
        )
        self.using = [*BOOK.kept, self.slow]

    def because_the_office_is_to_close_at_noon(self):
        noon = BusinessCalendar.create(time_zone="Europe/Berlin", closes_at=time(12))
        self.error = catch(lambda: refuse_a_calendar_too_short_for(self.using, noon, DUE))

    def it_should_name_the_policy_it_would_leave_with_an_unreachable_target(self):
        # From Monday 7 December 2026, 12:00 in Berlin: 784 working days of 3 hours.
        expect(self.error.errors).to(
            equal(
                {
                    "working_time": [
                        "Too little working time for the policy “glacial”: its target of "
                        "300,000 minutes is longer than the 141,120 minutes of working time "
                        "this calendar would have within three years, the furthest a deadline "
                        "is looked for."
                    ]
                }
            )
        )

    def it_should_let_the_office_hours_stay_as_they_are(self):
        expect(catch(lambda: refuse_a_calendar_too_short_for(self.using, OFFICE, DUE))).to(
            equal(None)
        )
