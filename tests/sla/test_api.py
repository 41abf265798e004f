"""/api/sla-policies/: staff read, admins change; a bad policy is a 400 naming its field."""

import pytest
from django.contrib.auth import get_user_model

from issues_adapters.sla.defaults import seed_policies
from issues_adapters.sla.models import SlaPolicyRecord
from issues_domain import events
from tests.api.contexts import make_user, report_an_issue, session_client, token_client
from tests.sla.test_timers import recorded

POLICIES = "/api/sla-policies/"
A_POLICY = {
    "name": "Network outages",
    "priority": "urgent",
    "category": "network",
    "first_response_minutes": 15,
    "resolution_minutes": 120,
    "calendar": {
        "name": "Berlin office",
        "time_zone": "Europe/Berlin",
        "working_days": [0, 1, 2, 3, 4],
        "opens_at": "08:00",
        "closes_at": "18:00",
        "holidays": [{"first_day": "2026-12-24", "last_day": "2026-12-26", "name": "Christmas"}],
    },
}


@pytest.fixture
def people(db):
    seed_policies()
    admin = get_user_model().objects.create_superuser("boss", password="x", email="b@x.org")
    return {"staff": token_client(make_user("alice")), "admin": session_client(admin)}


@pytest.mark.django_db
def test_staff_read_the_seeded_policies(people):
    answer = people["staff"].get(POLICIES)
    assert answer.status_code == 200
    assert {policy["name"] for policy in answer.json()} == {"Standard", "Low", "High", "Urgent"}
    urgent = next(policy for policy in answer.json() if policy["name"] == "Urgent")
    assert urgent["calendar"]["round_the_clock"] is True


@pytest.mark.django_db
def test_only_admins_change_policies_and_nobody_anonymous_reads_them(people, client):
    assert people["staff"].post(POLICIES, A_POLICY, format="json").status_code == 403
    assert client.get(POLICIES).status_code in (401, 403)
    assert not SlaPolicyRecord.objects.filter(name="Network outages").exists()


@pytest.mark.django_db
def test_an_admin_adds_a_policy_and_new_issues_get_its_targets(people):
    answer = people["admin"].post(POLICIES, A_POLICY, format="json")

    assert answer.status_code == 201, answer.json()
    assert answer.json()["calendar"]["holidays"] == [
        {"first_day": "2026-12-24", "last_day": "2026-12-26", "name": "Christmas"}
    ]
    report_an_issue(category="network", priority="urgent")
    targeted = recorded(events.SlaTargeted)[-1]
    assert (targeted.policy, targeted.first_response_seconds) == ("Network outages", 900)
    assert targeted.calendar["time_zone"] == "Europe/Berlin"


@pytest.mark.django_db
def test_a_changed_policy_leaves_the_targets_issues_were_given(people):
    issue_id = report_an_issue(category="printing", priority="urgent")
    urgent = SlaPolicyRecord.objects.get(name="Urgent")
    changed = A_POLICY | {"name": "Urgent", "category": None, "first_response_minutes": 5}

    answer = people["admin"].put(f"{POLICIES}{urgent.id}/", changed, format="json")

    assert answer.status_code == 200, answer.json()
    assert SlaPolicyRecord.objects.get(id=urgent.id).first_response_minutes == 5
    given = [event for event in recorded(events.SlaTargeted) if event.issue_id == issue_id]
    assert [event.first_response_seconds for event in given] == [30 * 60]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"first_response_minutes": 0}, {"first_response_minutes"}),
        ({"resolution_minutes": -5}, {"resolution_minutes"}),
        ({"category": "no-such-thing"}, {"category"}),
        ({"calendar": A_POLICY["calendar"] | {"time_zone": "Mars/Olympus"}}, {"calendar"}),
        ({"calendar": A_POLICY["calendar"] | {"working_days": []}}, {"calendar"}),
        (
            {
                "calendar": A_POLICY["calendar"]
                | {
                    "holidays": [
                        {"first_day": "2026-12-24", "last_day": "2026-12-26"},
                        {"first_day": "2026-12-26", "last_day": "2026-12-31"},
                    ]
                }
            },
            {"calendar"},
        ),
    ],
)
def test_a_bad_policy_is_a_400_naming_the_field_and_nothing_is_saved(people, change, errors):
    answer = people["admin"].post(POLICIES, A_POLICY | change, format="json")

    assert answer.status_code == 400
    assert set(answer.json()) == errors
    assert not SlaPolicyRecord.objects.filter(name="Network outages").exists()


@pytest.mark.django_db
def test_the_calendar_errors_name_the_calendar_field(people):
    bad = A_POLICY["calendar"] | {"time_zone": "Mars/Olympus", "opens_at": "18:00"}
    answer = people["admin"].post(POLICIES, A_POLICY | {"calendar": bad}, format="json")
    assert set(answer.json()["calendar"]) == {"time_zone", "working_hours"}


@pytest.mark.django_db
def test_changing_an_unknown_policy_is_a_404(people):
    assert people["admin"].put(f"{POLICIES}999/", A_POLICY, format="json").status_code == 404


@pytest.mark.django_db
def test_a_calendar_may_take_a_countrys_public_holidays(people):
    calendar = A_POLICY["calendar"] | {"holiday_country": "DE"}
    answer = people["admin"].post(POLICIES, A_POLICY | {"calendar": calendar}, format="json")

    assert answer.status_code == 201, answer.json()
    assert answer.json()["calendar"]["holiday_country"] == "DE"
    report_an_issue(category="network", priority="urgent")
    recorded_holidays = recorded(events.SlaTargeted)[-1].calendar["holidays"]
    names = {name for _first, _last, name in recorded_holidays}
    assert {"Christmas", "New Year's Day", "Easter Monday"} <= names
    # The calendar's own Christmas 2026 covers that year's national 25th and 26th December.
    days = {first for first, _last, _name in recorded_holidays}
    assert "2026-12-25" not in days
    assert any(day.endswith("-12-25") for day in days)  # other years' are there


@pytest.mark.django_db
def test_a_country_with_no_known_holidays_is_a_400_on_the_calendar(people):
    calendar = A_POLICY["calendar"] | {"holiday_country": "XX"}
    answer = people["admin"].post(POLICIES, A_POLICY | {"calendar": calendar}, format="json")
    assert answer.status_code == 400
    assert set(answer.json()["calendar"]) == {"holiday_country"}
