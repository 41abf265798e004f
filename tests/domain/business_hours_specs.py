"""Business-time arithmetic: deadlines that cross weekends, holidays and a DST change."""

from datetime import UTC, date, datetime, time, timedelta

from expects import be, equal, expect, have_keys

from issues_domain.business_hours import (
    BusinessCalendar,
    Holiday,
    calendar_from_data,
    calendar_to_data,
)
from tests.matchers import be_refused_with, catch

BERLIN = "Europe/Berlin"


def office(**overrides) -> BusinessCalendar:
    """Monday to Friday, 9 to 17 in Berlin."""
    return BusinessCalendar.create(**({"time_zone": BERLIN} | overrides))


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


class When_a_deadline_crosses_a_weekend:
    def given_an_office_calendar(self):
        self.calendar = office()
        self.friday_4pm = utc(2026, 12, 4, 15)  # 16:00 in Berlin (CET, UTC+1)

    def because_four_business_hours_are_added_on_friday_afternoon(self):
        self.due = self.calendar.add(self.friday_4pm, timedelta(hours=4))

    def it_should_fall_due_on_monday_at_noon_in_berlin(self):
        expect(self.due).to(equal(utc(2026, 12, 7, 11)))

    def it_should_count_the_four_hours_back(self):
        expect(self.calendar.elapsed(self.friday_4pm, self.due)).to(equal(timedelta(hours=4)))


class When_a_deadline_crosses_a_holiday:
    def given_an_office_closed_over_christmas(self):
        self.calendar = office(holidays=[Holiday(date(2026, 12, 24), date(2026, 12, 26), "Xmas")])

    def because_two_business_hours_are_added_on_the_23rd_at_4pm(self):
        self.due = self.calendar.add(utc(2026, 12, 23, 15), timedelta(hours=2))

    def it_should_fall_due_on_the_monday_after_at_10(self):
        expect(self.due).to(equal(utc(2026, 12, 28, 9)))


class When_a_deadline_crosses_the_change_to_summer_time:
    def given_a_helpdesk_open_every_day_from_8_to_20_in_berlin(self):
        self.calendar = office(working_days=range(7), opens_at=time(8), closes_at=time(20))

    def because_two_hours_are_added_at_7pm_the_evening_before(self):
        # Saturday 28 March 2026, 19:00 CET; Berlin moves to CEST (UTC+2) that night.
        self.due = self.calendar.add(utc(2026, 3, 28, 18), timedelta(hours=2))

    def it_should_fall_due_at_9_summer_time_which_is_7_utc(self):
        expect(self.due).to(equal(utc(2026, 3, 29, 7)))


class When_a_calendar_is_read_again_from_its_data:
    def given_a_calendar_recorded_by_an_event(self):
        self.data = calendar_to_data(office(working_days=range(7), opens_at=time(8)))

    def because_it_is_read_twice_and_counts_over_the_change_to_summer_time_twice(self):
        self.first, self.second = calendar_from_data(self.data), calendar_from_data(self.data)
        # Friday 27 to Monday 30 March 2026: Berlin moves to CEST on the Sunday night.
        span = (utc(2026, 3, 27, 12), utc(2026, 3, 30, 12))
        self.counted = [self.first.elapsed(*span), self.second.elapsed(*span)]

    def it_should_be_one_calendar_equal_to_the_recorded_one(self):
        expect(self.second).to(be(self.first))
        expect(calendar_to_data(self.first)).to(equal(self.data))

    def it_should_count_the_same_again_from_the_days_it_worked_out(self):
        # Fri 13:00-17:00 CET (4 h), Sat and Sun 8-17 (9 h each), Mon 8:00-14:00 CEST (6 h).
        expect(self.counted).to(equal([timedelta(hours=28)] * 2))


class When_counting_round_the_clock:
    def given_a_calendar_that_never_closes(self):
        self.calendar = BusinessCalendar.create(time_zone=BERLIN, round_the_clock=True)

    def because_ten_hours_are_added_on_a_saturday_night(self):
        self.due = self.calendar.add(utc(2026, 12, 5, 22), timedelta(hours=10))

    def it_should_count_every_hour(self):
        expect(self.due).to(equal(utc(2026, 12, 6, 8)))


class When_counting_business_time_outside_business_hours:
    def because_a_weekend_is_measured(self):
        self.spent = office().elapsed(utc(2026, 12, 5, 8), utc(2026, 12, 6, 20))

    def it_should_count_nothing(self):
        expect(self.spent).to(equal(timedelta(0)))


class When_a_calendar_is_not_one:
    def because_it_has_an_unknown_zone_no_days_no_hours_and_overlapping_holidays(self):
        self.error = catch(
            lambda: BusinessCalendar.create(
                time_zone="Mars/Olympus",
                working_days=[],
                opens_at=time(17),
                closes_at=time(9),
                holidays=[
                    Holiday(date(2026, 12, 24), date(2026, 12, 26)),
                    Holiday(date(2026, 12, 26), date(2026, 12, 31)),
                ],
            )
        )

    def it_should_be_refused_as_invalid_input(self):
        expect(self.error).to(be_refused_with("invalid_input"))

    def it_should_name_every_field(self):
        expect(self.error.errors).to(
            have_keys("time_zone", "working_days", "working_hours", "holidays")
        )


class When_a_deadline_lies_beyond_three_years_of_working_time:
    def given_an_office_calendar_and_its_working_time_within_three_years(self):
        self.calendar, self.start = office(), utc(2026, 12, 4, 15)
        self.reach = self.calendar.working_time_ahead(self.start)

    def because_deadlines_are_looked_for_up_to_it_and_a_minute_past_it(self):
        self.last = self.calendar.deadline(self.start, self.reach)
        self.beyond = self.calendar.deadline(self.start, self.reach + timedelta(minutes=1))

    def it_should_have_the_working_days_of_1098_days(self):
        # 156 weeks and Friday to Wednesday: 784 working days, the first with an hour left.
        expect(self.reach).to(equal(timedelta(hours=1 + 8 * 783)))

    def it_should_find_the_last_one_three_years_on(self):
        expect(self.last.year).to(equal(2029))

    def it_should_find_none_beyond_it(self):
        expect(self.beyond).to(be(None))

    def it_should_refuse_to_add_beyond_it(self):
        expect(catch(lambda: self.calendar.add(self.start, self.reach * 2)).errors).to(
            have_keys("working_days")
        )


class When_a_deadline_lies_beyond_three_years_round_the_clock:
    def because_one_a_minute_past_three_years_is_looked_for(self):
        self.calendar = BusinessCalendar.create(time_zone=BERLIN, round_the_clock=True)
        self.reach = self.calendar.working_time_ahead(utc(2026, 12, 4, 15))
        self.beyond = self.calendar.deadline(utc(2026, 12, 4, 15), timedelta(days=1099))

    def it_should_have_three_years_of_working_time(self):
        expect(self.reach).to(equal(timedelta(days=3 * 366)))

    def it_should_find_none(self):
        expect(self.beyond).to(be(None))
