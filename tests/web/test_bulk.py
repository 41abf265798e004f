"""Bulk actions: waiting and close among them; a confirmation saying how many mails an action
sends before it sends any; one summary banner; every issue of the filter, across pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from issues_adapters.persistence.models import IssueRecord, RecordedEvent
from tests.web.support import issue_in, make_user, report, row, staff_client

pytestmark = pytest.mark.django_db


def bulk(client, ids, follow=True, **data):
    payload = {"issues": [str(i) for i in ids], "next": "/staff/?view=all", **data}
    for issue_id in ids:
        payload[f"version:{issue_id}"] = row(issue_id).version
        payload[f"reference:{issue_id}"] = row(issue_id).reference
    return client.post("/staff/bulk/", payload, follow=follow)


def test_a_bulk_action_that_mails_asks_first_saying_how_many_mails():
    client = staff_client()
    ids = [report(reporter_email="ann@example.org"), report(reporter_email="ann@example.org")]
    ids.append(report(reporter_email="bob@example.org"))
    events_before = RecordedEvent.objects.count()
    response = bulk(client, ids, follow=False, action="resolve", resolution="Fixed the switch.")
    html = response.content.decode()
    assert response.status_code == 200 and 'id="bulk-confirm"' in html
    assert "on 3 issues" in html and "sends 3 mails" in html and "to 2 people" in html
    assert RecordedEvent.objects.count() == events_before  # nothing done yet

    # The confirmation posts the same choice again, confirmed.
    fields = dict.fromkeys(["action", "resolution", "next"])
    assert all(f'name="{name}"' in html for name in fields)
    bulk(client, ids, action="resolve", resolution="Fixed the switch.", confirmed="on")
    assert {row(i).status for i in ids} == {"resolved"}


def test_bulk_wait_for_the_reporter_with_the_question():
    client = staff_client()
    ids = [issue_in("assigned"), issue_in("triaged"), report()]
    confirm = bulk(client, ids, follow=False, action="await_reporter", comment="Which model?")
    assert "sends 2 mails" in confirm.content.decode()  # the reported one cannot wait
    html = bulk(
        client, ids, action="await_reporter", comment="Which model?", confirmed="on"
    ).content.decode()
    assert [row(i).status for i in ids] == ["waiting", "waiting", "reported"]
    assert f"2 waiting on the reporter, 1 not changed: {row(ids[2]).reference}" in html


def test_bulk_close_mails_nobody_so_asks_nothing_and_sums_up():
    client = staff_client()
    ids = [issue_in("resolved"), issue_in("resolved"), report()]
    response = bulk(client, ids, action="close")
    html = response.content.decode()
    assert 'id="bulk-confirm"' not in html
    assert [row(i).status for i in ids] == ["closed", "closed", "reported"]
    assert f"2 closed, 1 not changed: {row(ids[2]).reference} (" in html
    assert html.count('<li class="message ') == 1


def test_assigning_to_yourself_mails_nobody_so_asks_nothing():
    client = staff_client("alice")
    ids = [report()]
    html = bulk(client, ids, action="assign", assignee="alice").content.decode()
    assert "1 assigned." in html and row(ids[0]).assignee == "alice"


def triage_all_matching(client, query: str):
    """Triage, as hardware and low, every issue the queue's filter `query` matches."""
    return client.post(
        "/staff/bulk/",
        {
            "action": "triage",
            "category": "hardware",
            "priority": "low",
            "all_matching": "on",
            "filter": query,
            "next": "/staff/",
        },
        follow=True,
    )


def test_select_all_across_pages_of_the_filter_with_the_count_shown():
    client = staff_client()
    make_user("bob")
    ids = [report(category="network") for _ in range(27)]
    other = report(category="printing")
    html = client.get("/staff/?category=network").content.decode()
    assert "All 27 issues matching this filter, on every page" in html
    response = triage_all_matching(client, "category=network")
    assert "27 triaged." in response.content.decode()
    assert set(IssueRecord.objects.filter(id__in=ids).values_list("category", flat=True)) == {
        "hardware"
    }
    assert row(other).category_id == "printing"


def test_select_all_across_pages_of_a_search_without_counting_it():
    """A search's matches are not counted (counting read every issue the index offered, a
    cost that grew with the helpdesk): the box says it takes the first BULK_LIMIT."""
    client = staff_client()
    make_user("bob")
    ids = [report(description=f"Scanner {n} jams") for n in range(27)]
    other = report(description="Printer jams")
    with CaptureQueriesContext(connection) as captured:
        html = client.get("/staff/?q=scanner").content.decode()
    assert "All issues this search finds, on every page (the first 500 at most)" in html
    assert not [q for q in captured if "COUNT(" in q["sql"] and "issues_issue" in q["sql"]]
    response = triage_all_matching(client, "q=scanner")
    assert "27 triaged." in response.content.decode()
    assert {row(i).category_id for i in ids} == {"hardware"}
    assert row(other).category_id != "hardware"


def test_one_page_shows_no_select_all_across_pages():
    client = staff_client()
    report()
    assert 'id="all-matching"' not in client.get("/staff/").content.decode()


def test_the_mail_count_includes_the_watchers_who_hear_of_it():
    client = staff_client()
    ids = [
        report(reporter_email="ann@example.org", watchers=("cc@example.org",)),
        report(reporter_email="bob@example.org", watchers=("cc@example.org",)),
    ]
    html = bulk(
        client, ids, follow=False, action="resolve", resolution="Fixed the switch."
    ).content.decode()
    assert "sends 4 mails" in html and "to 3 people" in html


def test_bulk_wait_without_a_question_changes_nothing_and_says_so_once():
    client = staff_client()
    ids = [issue_in("assigned"), issue_in("triaged")]
    events_before = RecordedEvent.objects.count()
    html = bulk(client, ids, action="await_reporter", comment="  ").content.decode()
    assert RecordedEvent.objects.count() == events_before
    assert [row(i).status for i in ids] == ["assigned", "triaged"]
    assert html.count('<li class="message ') == 1 and "not changed" not in html
    assert 'id="bulk-confirm"' not in html


def test_what_was_typed_is_kept_on_the_queue_for_the_issues_it_did_not_reach():
    client = staff_client()
    ids = [issue_in("assigned"), issue_in("closed")]
    html = bulk(
        client, ids, action="resolve", resolution="Replaced the toner.", confirmed="on"
    ).content.decode()
    assert [row(i).status for i in ids] == ["resolved", "closed"]
    kept = html[html.index('id="kept-bulk-text"') :]
    assert kept[: kept.index("</textarea>")].endswith("Replaced the toner.")
    assert 'id="kept-bulk-text"' not in client.get("/staff/").content.decode()  # shown once
