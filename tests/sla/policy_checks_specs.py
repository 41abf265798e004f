"""What a policy and its calendar must be before they are saved, in the API and the admin: a
refusal names the field (calendar fields under `calendar`), never a 500 and never a policy the
SLA clocks cannot work with."""

import html

import pytest
from django.contrib.auth import get_user_model
from expects import contain, equal, expect, have_keys, start_with

from issues_adapters.sla.models import BusinessCalendarRecord, SlaPolicyRecord
from tests.api.contexts import session_client

POLICIES = "/api/sla-policies/"
A_CALENDAR = {"name": "Mondays", "time_zone": "UTC", "working_days": [0]}
A_POLICY = {
    "name": "P",
    "priority": "low",
    "category": "network",
    "first_response_minutes": 60,
    "resolution_minutes": 600,
    "calendar": A_CALENDAR,
}
NO_WORKING_TIME = {"working_days": ["No working time within three years."]}


class With_an_admin:
    def given_an_admin(self):
        self.admin = get_user_model().objects.create_superuser(
            "boss", password="x", email="boss@example.org"
        )
        self.client = session_client(self.admin)

    def post(self, **calendar):
        return self.client.post(
            POLICIES, A_POLICY | {"calendar": A_CALENDAR | calendar}, format="json"
        )


class Refused_under_calendar:
    errors: dict

    def it_should_answer_400_with_each_message_under_its_calendar_field(self):
        expect((self.response.status_code, self.response.json())).to(
            equal((400, {"calendar": self.errors}))
        )

    def it_should_keep_no_policy(self):
        expect(SlaPolicyRecord.objects.filter(name="P").exists()).to(equal(False))


@pytest.mark.django_db
class When_an_admin_gives_a_calendar_only_its_opening_time(With_an_admin):
    def because_the_admin_posts_it(self):
        self.response = self.post(opens_at="08:00")

    def it_should_close_at_five(self):
        expect(self.response.status_code).to(equal(201))
        expect(self.response.json()["calendar"]).to(
            have_keys(opens_at="08:00:00", closes_at="17:00:00")
        )


@pytest.mark.django_db
class When_an_admin_gives_a_calendar_only_its_closing_time(With_an_admin):
    def because_the_admin_posts_it(self):
        self.response = self.post(closes_at="18:00")

    def it_should_open_at_nine(self):
        expect(self.response.status_code).to(equal(201))
        expect(self.response.json()["calendar"]).to(
            have_keys(opens_at="09:00:00", closes_at="18:00:00")
        )


@pytest.mark.django_db
class When_an_admin_gives_a_calendar_only_a_closing_time_before_nine(
    With_an_admin, Refused_under_calendar
):
    errors = {"working_hours": ["The helpdesk must open before it closes."]}

    def because_the_admin_posts_it(self):
        self.response = self.post(closes_at="08:00")


@pytest.mark.django_db
class When_an_admin_gives_a_calendar_neither_time(With_an_admin):
    def because_the_admin_changes_a_policy_to_it(self):
        created = self.post(opens_at="07:00", closes_at="08:00").json()
        self.response = self.client.put(f"{POLICIES}{created['id']}/", A_POLICY, format="json")

    def it_should_work_nine_to_five(self):
        expect(self.response.status_code).to(equal(200))
        expect(self.response.json()["calendar"]).to(
            have_keys(opens_at="09:00:00", closes_at="17:00:00")
        )


@pytest.mark.django_db
class When_an_admin_gives_a_calendar_that_is_a_holiday_forever(
    With_an_admin, Refused_under_calendar
):
    errors = NO_WORKING_TIME

    def because_the_admin_posts_it(self):
        self.response = self.post(holidays=[{"first_day": "0001-01-01", "last_day": "9999-12-31"}])


@pytest.mark.django_db
class When_an_admin_gives_a_calendar_with_holidays_on_every_working_day_for_three_years(
    With_an_admin, Refused_under_calendar
):
    errors = NO_WORKING_TIME

    def because_the_admin_posts_it(self):
        self.response = self.post(holidays=[{"first_day": "2020-01-01", "last_day": "2035-12-31"}])


@pytest.mark.django_db
class When_an_admin_gives_a_calendar_in_an_unknown_time_zone(With_an_admin, Refused_under_calendar):
    errors = {"time_zone": ["Unknown time zone: 'Mars/Olympus'."]}

    def because_the_admin_posts_it(self):
        self.response = self.post(time_zone="Mars/Olympus")


@pytest.mark.django_db
class When_an_admin_gives_a_calendar_a_day_past_sunday(With_an_admin, Refused_under_calendar):
    errors = {"working_days": ["Days are 0 (Monday) to 6 (Sunday)."]}

    def because_the_admin_posts_it(self):
        self.response = self.post(working_days=[7])


@pytest.mark.django_db
class When_an_admin_gives_a_calendar_that_opens_after_it_closes(
    With_an_admin, Refused_under_calendar
):
    errors = {"working_hours": ["The helpdesk must open before it closes."]}

    def because_the_admin_posts_it(self):
        self.response = self.post(opens_at="18:00", closes_at="08:00")


@pytest.mark.django_db
class When_an_admin_gives_a_calendar_several_faults(With_an_admin, Refused_under_calendar):
    errors = {
        "time_zone": ["Unknown time zone: 'Mars/Olympus'."],
        "working_days": ["Days are 0 (Monday) to 6 (Sunday)."],
        "working_hours": ["The helpdesk must open before it closes."],
    }

    def because_the_admin_posts_it(self):
        self.response = self.post(time_zone="Mars/Olympus", working_days=[7], opens_at="18:00")


@pytest.mark.django_db
class When_an_admin_gives_a_policy_a_mistyped_category(With_an_admin):
    def because_the_admin_posts_it(self):
        self.response = self.client.post(POLICIES, A_POLICY | {"category": "emial"}, format="json")

    def it_should_answer_400_naming_the_category(self):
        expect((self.response.status_code, self.response.json())).to(
            equal((400, {"category": ["'emial' is not a known category."]}))
        )

    def it_should_keep_no_policy(self):
        expect(SlaPolicyRecord.objects.filter(name="P").exists()).to(equal(False))


TOO_LONG = "Too long: this calendar has "
TEN_MILLION = {"first_response_minutes": 10_000_000, "resolution_minutes": 10_000_000}
OFFICE_HOURS = {"name": "Office hours", "time_zone": "UTC", "working_days": [0, 1, 2, 3, 4]}


@pytest.mark.django_db
class When_an_admin_gives_office_hours_targets_beyond_three_years_of_working_time(With_an_admin):
    def because_the_admin_posts_ten_million_minutes_each(self):
        policy = A_POLICY | TEN_MILLION | {"calendar": OFFICE_HOURS}
        self.response = self.client.post(POLICIES, policy, format="json")

    def it_should_answer_400_on_both_targets_saying_how_long_they_can_be(self):
        errors = self.response.json()
        expect((self.response.status_code, set(errors))).to(equal((400, set(TEN_MILLION))))
        for messages in errors.values():
            expect(messages[0]).to(start_with(TOO_LONG))

    def it_should_keep_no_policy(self):
        expect(SlaPolicyRecord.objects.filter(name="P").exists()).to(equal(False))


@pytest.mark.django_db
class When_an_admin_gives_round_the_clock_a_target_within_three_years(With_an_admin):
    def because_the_admin_posts_two_years_to_resolve(self):
        calendar = {"name": "Always", "time_zone": "UTC", "round_the_clock": True}
        two_years = {"resolution_minutes": 2 * 365 * 24 * 60, "calendar": calendar}
        self.response = self.client.post(POLICIES, A_POLICY | two_years, format="json")

    def it_should_keep_it(self):
        expect(self.response.status_code).to(equal(201))


# -- the admin site ----------------------------------------------------------------------------

ADD_CALENDAR = "/admin/sla/businesscalendarrecord/add/"
ADD_POLICY = "/admin/sla/slapolicyrecord/add/"


def calendar_form(**changes) -> dict:
    return {
        "name": "Mondays",
        "time_zone": "UTC",
        "working_days": "[0]",
        "opens_at": "09:00",
        "closes_at": "17:00",
        "holidays": "[]",
        "holiday_country": "",
    } | changes


@pytest.mark.django_db
class When_an_admin_adds_a_calendar_that_is_a_holiday_forever_in_the_admin(With_an_admin):
    def because_the_admin_saves_it(self):
        forever = '[["0001-01-01", "9999-12-31", "Forever"]]'
        self.response = self.client.post(ADD_CALENDAR, calendar_form(holidays=forever))

    def it_should_show_the_form_again_saying_why(self):
        expect(self.response.status_code).to(equal(200))
        expect(self.response.content.decode()).to(contain("No working time within three years."))

    def it_should_keep_no_calendar(self):
        expect(BusinessCalendarRecord.objects.filter(name="Mondays").exists()).to(equal(False))


@pytest.mark.django_db
class When_an_admin_adds_a_working_calendar_in_the_admin(With_an_admin):
    def because_the_admin_saves_it(self):
        self.response = self.client.post(ADD_CALENDAR, calendar_form())

    def it_should_keep_it(self):
        expect(self.response.status_code).to(equal(302))
        expect(BusinessCalendarRecord.objects.filter(name="Mondays").exists()).to(equal(True))


class With_a_calendar(With_an_admin):
    def given_a_calendar(self):
        self.calendar = BusinessCalendarRecord.objects.create(
            name="Mondays", time_zone="UTC", working_days=[0]
        )

    def policy_form(self, **changes) -> dict:
        return {
            "name": "P",
            "priority": "low",
            "category": "network",
            "first_response_minutes": "60",
            "resolution_minutes": "600",
            "calendar": str(self.calendar.pk),
        } | changes


@pytest.mark.django_db
class When_an_admin_adds_a_policy_with_a_mistyped_category_in_the_admin(With_a_calendar):
    def because_the_admin_saves_it(self):
        self.response = self.client.post(ADD_POLICY, self.policy_form(category="emial"))

    def it_should_show_the_form_again_naming_the_category(self):
        expect(self.response.status_code).to(equal(200))
        expect(self.response.content.decode()).to(
            contain("&#x27;emial&#x27; is not a known category.")
        )

    def it_should_keep_no_policy(self):
        expect(SlaPolicyRecord.objects.filter(name="P").exists()).to(equal(False))


@pytest.mark.django_db
class When_an_admin_adds_a_policy_with_a_known_category_in_the_admin(With_a_calendar):
    def because_the_admin_saves_it(self):
        self.response = self.client.post(ADD_POLICY, self.policy_form())

    def it_should_keep_it(self):
        expect(self.response.status_code).to(equal(302))
        expect(SlaPolicyRecord.objects.get(name="P").category).to(equal("network"))


@pytest.mark.django_db
class When_an_admin_adds_a_round_the_clock_calendar_with_no_working_days(With_an_admin):
    def because_the_admin_saves_it(self):
        form = calendar_form(working_days="[]", round_the_clock="on")
        self.response = self.client.post(ADD_CALENDAR, form)

    def it_should_keep_it(self):
        expect(self.response.status_code).to(equal(302))
        kept = BusinessCalendarRecord.objects.get(name="Mondays")
        expect((kept.round_the_clock, kept.working_days)).to(equal((True, [])))


@pytest.mark.django_db
class When_an_admin_saves_a_calendar_with_fields_the_form_refuses(With_an_admin):
    def because_the_admin_clears_the_closing_time_and_gives_holidays_as_the_api_does(self):
        api_holidays = '[{"first_day": "2026-12-24", "last_day": "2026-12-26", "name": "x"}]'
        form = calendar_form(closes_at="", holidays=api_holidays, working_days='"abc"')
        self.page = html.unescape(self.client.post(ADD_CALENDAR, form).content.decode())

    def it_should_say_what_each_field_needs(self):
        expect(self.page).to(contain("This field is required."))
        expect(self.page).to(contain('[["2026-12-24", "2026-12-26", "Christmas"]]'))
        expect(self.page).to(contain("Numbers, 0 (Monday) to 6 (Sunday)"))

    def it_should_show_no_python_error(self):
        for leaked in ("not supported between", "isoformat", "invalid literal"):
            expect(self.page).not_to(contain(leaked))


@pytest.mark.django_db
class When_an_admin_names_an_unknown_time_zone_in_the_admin(With_an_admin):
    def because_the_admin_saves_it(self):
        form = calendar_form(time_zone="Mars/Olympus")
        self.page = html.unescape(self.client.post(ADD_CALENDAR, form).content.decode())

    def it_should_say_so_next_to_the_time_zone(self):
        expect(self.page).to(contain("Unknown time zone: 'Mars/Olympus'."))
        expect(self.page).not_to(contain("time_zone: Unknown"))


@pytest.mark.django_db
class When_an_admin_gives_a_calendar_the_holidays_of_a_country_in_lower_case(With_an_admin):
    def because_the_admin_posts_it_to_the_api_and_adds_one_in_the_admin(self):
        self.response = self.post(holiday_country="de")
        self.added = self.client.post(
            ADD_CALENDAR, calendar_form(name="Berlin", holiday_country="de")
        )

    def it_should_take_it_as_the_country_s_code(self):
        expect((self.response.status_code, self.response.json()["calendar"])).to(
            equal((201, self.response.json()["calendar"] | {"holiday_country": "DE"}))
        )

    def it_should_keep_it_in_upper_case_from_the_admin_too(self):
        expect(self.added.status_code).to(equal(302))
        expect(BusinessCalendarRecord.objects.get(name="Berlin").holiday_country).to(equal("DE"))


@pytest.mark.django_db
class When_an_admin_adds_a_policy_with_a_target_beyond_three_years_in_the_admin(With_a_calendar):
    def because_the_admin_saves_ten_million_minutes_to_resolve_on_mondays(self):
        self.response = self.client.post(
            ADD_POLICY, self.policy_form(resolution_minutes="10000000")
        )

    def it_should_show_the_form_again_saying_why_next_to_the_resolution_target(self):
        errors = self.response.context_data["adminform"].form.errors
        expect((self.response.status_code, list(errors))).to(equal((200, ["resolution_minutes"])))
        expect(errors["resolution_minutes"][0]).to(start_with(TOO_LONG))

    def it_should_keep_no_policy(self):
        expect(SlaPolicyRecord.objects.filter(name="P").exists()).to(equal(False))


# -- a shared calendar changed under the policies using it --------------------------------------

GLACIAL_TOO_LONG = "Too little working time for the policy “Glacial”: its target of 300,000 "


class With_office_hours_that_a_policy_of_300_000_minutes_uses(With_an_admin):
    def given_office_hours_and_the_policy(self):
        # 9 to 17 on weekdays: some 376,000 minutes within three years; 9 to 12: some 141,000.
        self.office = BusinessCalendarRecord.objects.create(
            name="Office hours", time_zone="UTC", working_days=[0, 1, 2, 3, 4]
        )
        SlaPolicyRecord.objects.create(
            name="Glacial",
            first_response_minutes=480,
            resolution_minutes=300_000,
            calendar=self.office,
        )

    def office_hours(self, **changes) -> dict:
        return OFFICE_HOURS | changes

    def closes_at(self) -> str:
        self.office.refresh_from_db()
        return self.office.closes_at.isoformat(timespec="minutes")


@pytest.mark.django_db
class When_an_admin_posts_a_policy_that_closes_the_shared_office_hours_at_noon(
    With_office_hours_that_a_policy_of_300_000_minutes_uses
):
    def because_the_admin_posts_it_with_office_hours_until_12(self):
        calendar = self.office_hours(closes_at="12:00")
        self.response = self.client.post(POLICIES, A_POLICY | {"calendar": calendar}, format="json")

    def it_should_answer_400_naming_the_policy_left_with_an_unreachable_target(self):
        expect(self.response.status_code).to(equal(400))
        expect(self.response.json()["calendar"]).to(have_keys("working_time"))
        expect(self.response.json()["calendar"]["working_time"][0]).to(start_with(GLACIAL_TOO_LONG))

    def it_should_keep_the_office_hours_and_no_new_policy(self):
        expect(self.closes_at()).to(equal("17:00"))
        expect(SlaPolicyRecord.objects.filter(name="P").exists()).to(equal(False))


@pytest.mark.django_db
class When_an_admin_posts_a_policy_that_closes_the_shared_office_hours_at_four(
    With_office_hours_that_a_policy_of_300_000_minutes_uses
):
    def because_the_admin_posts_it_with_office_hours_until_16(self):
        calendar = self.office_hours(closes_at="16:00")
        self.response = self.client.post(POLICIES, A_POLICY | {"calendar": calendar}, format="json")

    def it_should_change_the_office_hours_as_the_policy_still_fits(self):
        expect(self.response.status_code).to(equal(201))
        expect(self.closes_at()).to(equal("16:00"))


@pytest.mark.django_db
class When_an_admin_closes_the_office_hours_at_noon_in_the_admin(
    With_office_hours_that_a_policy_of_300_000_minutes_uses
):
    def because_the_admin_saves_the_calendar_closing_at_12(self):
        form = calendar_form(name="Office hours", working_days="[0, 1, 2, 3, 4]", closes_at="12:00")
        change = f"/admin/sla/businesscalendarrecord/{self.office.pk}/change/"
        self.response = self.client.post(change, form)

    def it_should_show_the_form_again_naming_the_policy(self):
        expect(self.response.status_code).to(equal(200))
        errors = self.response.context_data["adminform"].form.non_field_errors()
        expect(errors[0]).to(start_with(GLACIAL_TOO_LONG))

    def it_should_keep_the_office_hours(self):
        expect(self.closes_at()).to(equal("17:00"))
