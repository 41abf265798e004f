"""Tags, merge and links over HTTP: what each answers and stores, and every bad input."""

import pytest
from expects import contain, equal, expect, have_keys

from issues_adapters.persistence.models import IssueRecord, RecordedEvent, WatcherRecord
from issues_adapters.wiring import message_bus
from issues_domain import commands
from issues_domain.values import Actor
from tests.api.contexts import (
    ISSUES,
    With_a_reported_issue,
    issue_url,
    report_an_issue,
    resolve,
)


def tag(client, issue_id, add=(), remove=()):
    return client.post(
        issue_url(issue_id, "tags"), {"add": list(add), "remove": list(remove)}, format="json"
    )


# -- tags --------------------------------------------------------------------------------------


@pytest.mark.django_db
class When_staff_tag_an_issue(With_a_reported_issue):
    def because_alice_adds_two_tags(self):
        self.response = tag(self.client, self.issue_id, add=["printer", "floor-3"])

    def it_should_answer_with_the_tagged_issue(self):
        expect(self.response.status_code).to(equal(200))
        expect(self.response.json()).to(have_keys(tags=["printer", "floor-3"], version=2))

    def it_should_show_the_tags_when_the_issue_is_read(self):
        expect(self.client.get(issue_url(self.issue_id)).json()["tags"]).to(
            equal(["printer", "floor-3"])
        )

    def it_should_list_only_issues_with_the_tag_when_asked(self):
        other = report_an_issue()
        listed = self.client.get(ISSUES, {"tag": "printer"}).json()["results"]
        expect([issue["id"] for issue in listed]).to(equal([str(self.issue_id)]))
        everything = self.client.get(ISSUES).json()["results"]
        expect([issue["id"] for issue in everything]).to(contain(str(other)))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("paper jam", "no spaces"),
        ("Printer", "lowercase"),
        ("a" * 33, "1 to 32 characters"),
    ],
)
def test_a_bad_tag_is_a_400_naming_it_and_the_rule(typed, words):
    context = With_a_reported_issue()
    context.given_staff_alice_with_a_token()
    context.given_a_reported_issue()
    response = tag(context.client, context.issue_id, add=["fine", typed])
    expect(response.status_code).to(equal(400))
    (message,) = response.json()["add"]
    expect(message).to(contain(repr(typed), words))
    expect(IssueRecord.objects.get(id=context.issue_id).version).to(equal(1))


@pytest.mark.django_db
class When_staff_add_a_21st_tag(With_a_reported_issue):
    def given_twenty_tags(self):
        tag(self.client, self.issue_id, add=[f"tag-{n}" for n in range(20)])

    def because_alice_adds_another(self):
        self.response = tag(self.client, self.issue_id, add=["one-more"])

    def it_should_be_a_400_naming_the_limit(self):
        expect(self.response.status_code).to(equal(400))
        expect(self.response.json()["add"][0]).to(contain("at most 20 tags"))

    def it_should_keep_the_twenty(self):
        tags = self.client.get(issue_url(self.issue_id)).json()["tags"]
        expect(len(tags)).to(equal(20))


@pytest.mark.django_db
class When_staff_send_tags_that_are_not_a_list(With_a_reported_issue):
    def because_alice_sends_a_string(self):
        self.response = self.client.post(
            issue_url(self.issue_id, "tags"), {"add": "printer"}, format="json"
        )

    def it_should_be_a_400_on_add(self):
        expect(self.response.status_code).to(equal(400))
        expect(self.response.json()).to(have_keys("add"))


# -- merge -------------------------------------------------------------------------------------


class With_a_duplicate(With_a_reported_issue):
    def given_an_original(self):
        self.original = report_an_issue(reporter_email="ann@example.org")
        self.original_reference = IssueRecord.objects.get(id=self.original).reference

    def merge(self, into):
        return self.client.post(issue_url(self.issue_id, "merge"), {"into": into}, format="json")


@pytest.mark.django_db
class When_staff_merge_a_duplicate_by_reference(With_a_duplicate):
    def because_alice_merges_it(self):
        self.response = self.merge(self.original_reference.lower())

    def it_should_answer_with_the_closed_duplicate(self):
        expect(self.response.status_code).to(equal(200))
        expect(self.response.json()).to(
            have_keys(
                status="closed",
                merged_into=str(self.original),
                merged_into_reference=self.original_reference,
            )
        )

    def it_should_give_the_target_a_timeline_entry_naming_the_duplicates_reporter(self):
        event = RecordedEvent.objects.filter(
            issue_id=self.original, event_type="DuplicateMergedIn"
        ).last()
        expect(event.data).to(have_keys(reporter_email="fred@example.org"))

    def it_should_make_the_duplicates_reporter_a_watcher_of_the_target(self):
        event = RecordedEvent.objects.filter(issue_id=self.original).last()
        expect(event.event_type).to(equal("WatcherAdded"))
        expect(event.data).to(have_keys(email="fred@example.org"))
        expect(
            list(
                WatcherRecord.objects.filter(issue_id=self.original).values_list("email", flat=True)
            )
        ).to(equal(["fred@example.org"]))

    def it_should_record_the_watcher_in_the_merges_transaction(self):
        rows = RecordedEvent.objects.filter(
            event_type__in=["IssueMerged", "DuplicateMergedIn", "WatcherAdded"]
        )
        expect(len({row.transaction_id for row in rows})).to(equal(1))

    def it_should_record_both_events_in_one_transaction(self):
        rows = RecordedEvent.objects.filter(event_type__in=["IssueMerged", "DuplicateMergedIn"])
        expect(len({row.transaction_id for row in rows})).to(equal(1))
        expect(len({row.causation_id for row in rows})).to(equal(1))


@pytest.mark.django_db
class When_staff_merge_an_issue_into_itself(With_a_duplicate):
    def because_alice_merges_it_into_itself(self):
        self.response = self.merge(str(self.issue_id))

    def it_should_be_a_409(self):
        expect(self.response.status_code).to(equal(409))
        expect(self.response.json()["code"]).to(equal("cannot_merge_into_itself"))


@pytest.mark.django_db
class When_staff_merge_into_a_closed_issue(With_a_duplicate):
    def given_the_original_is_closed(self):
        resolve(self.original)
        message_bus().handle(commands.CloseIssue(issue_id=self.original, actor=Actor.staff("a")))

    def because_alice_merges_into_it(self):
        self.response = self.merge(self.original_reference)

    def it_should_be_a_409(self):
        expect(self.response.status_code).to(equal(409))
        expect(self.response.json()["code"]).to(equal("merge_target_closed"))

    def it_should_leave_the_duplicate_open(self):
        expect(IssueRecord.objects.get(id=self.issue_id).status).to(equal("reported"))


@pytest.mark.django_db
class When_staff_merge_into_a_merged_issue(With_a_duplicate):
    def given_the_original_was_merged_into_a_third(self):
        third = report_an_issue()
        message_bus().handle(
            commands.MergeIssue(issue_id=self.original, into=str(third), actor=Actor.staff("a"))
        )

    def because_alice_merges_into_it(self):
        self.response = self.merge(self.original_reference)

    def it_should_be_a_409(self):
        expect(self.response.status_code).to(equal(409))
        expect(self.response.json()["code"]).to(equal("merge_target_merged"))


@pytest.mark.django_db
class When_staff_merge_back_into_the_issue_merged_into_this_one(With_a_duplicate):
    def given_the_original_was_merged_into_this_one(self):
        message_bus().handle(
            commands.MergeIssue(
                issue_id=self.original, into=str(self.issue_id), actor=Actor.staff("a")
            )
        )

    def because_alice_merges_this_one_back(self):
        self.response = self.merge(self.original_reference)

    def it_should_be_a_409_cycle(self):
        expect(self.response.status_code).to(equal(409))
        expect(self.response.json()["code"]).to(equal("merge_cycle"))


@pytest.mark.django_db
class When_staff_merge_into_an_unknown_issue(With_a_duplicate):
    def because_alice_names_no_issue(self):
        self.response = self.merge("HD-99999")

    def it_should_be_a_404(self):
        expect(self.response.status_code).to(equal(404))


# -- links -------------------------------------------------------------------------------------


@pytest.mark.django_db
class When_staff_link_two_issues(With_a_duplicate):
    def because_alice_links_them(self):
        self.response = self.client.post(
            issue_url(self.issue_id, "links"), {"other": self.original_reference}, format="json"
        )

    def it_should_answer_201_with_the_link(self):
        expect(self.response.status_code).to(equal(201))
        (link,) = self.response.json()["links"]
        expect(link).to(
            have_keys(
                issue_id=str(self.original),
                reference=self.original_reference,
                kind="related",
                status="reported",
            )
        )

    def it_should_show_the_link_on_the_other_issue(self):
        links = self.client.get(issue_url(self.original)).json()["links"]
        expect([link["issue_id"] for link in links]).to(equal([str(self.issue_id)]))

    def it_should_refuse_linking_them_again_with_409(self):
        again = self.client.post(
            issue_url(self.original, "links"), {"other": str(self.issue_id)}, format="json"
        )
        expect((again.status_code, again.json()["code"])).to(equal((409, "already_linked")))


@pytest.mark.django_db
class When_staff_unlink_two_linked_issues(With_a_duplicate):
    def given_they_are_linked(self):
        self.client.post(
            issue_url(self.issue_id, "links"), {"other": str(self.original)}, format="json"
        )

    def because_alice_unlinks_them(self):
        self.response = self.client.delete(f"{issue_url(self.issue_id, 'links')}{self.original}/")

    def it_should_answer_204(self):
        expect(self.response.status_code).to(equal(204))

    def it_should_remove_the_link_both_ways(self):
        expect(self.client.get(issue_url(self.issue_id)).json()["links"]).to(equal([]))
        expect(self.client.get(issue_url(self.original)).json()["links"]).to(equal([]))

    def it_should_refuse_unlinking_again_with_409(self):
        again = self.client.delete(f"{issue_url(self.issue_id, 'links')}{self.original}/")
        expect((again.status_code, again.json()["code"])).to(equal((409, "not_linked")))


@pytest.mark.django_db
class When_staff_link_to_an_unknown_issue(With_a_reported_issue):
    def because_alice_names_no_issue(self):
        self.response = self.client.post(
            issue_url(self.issue_id, "links"), {"other": "HD-99999"}, format="json"
        )

    def it_should_be_a_404(self):
        expect(self.response.status_code).to(equal(404))
