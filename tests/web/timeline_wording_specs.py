"""Each timeline entry names who did it once and reads as a sentence ("Picked by demo", not
"Picked by demo by demo"); what the helpdesk did itself (the SLA, a timer, the mail relay)
names no person ("SLA policy Standard applies", not "... by sla")."""

import re
import uuid
from datetime import UTC, datetime

from django.utils import translation
from expects import equal, expect

from issues_adapters.web.presentation import timeline
from issues_adapters.web.timeline_html import timeline_html
from issues_service.queries import RecordedEventView

AT = datetime(2026, 12, 6, 13, 27, tzinfo=UTC)


def event(kind: str, actor: str, role: str = "staff", **data) -> RecordedEventView:
    return RecordedEventView(1, uuid.uuid4(), kind, 2, AT, actor, role, data)


HISTORY = [
    event("IssuePicked", "demo", engineer="demo"),
    event("SlaTargeted", "sla", "system", policy="Standard"),
    event("SlaTargeted", "demo", policy="Standard"),  # set again by demo's triage
    event(
        "DuplicateMergedIn",
        "demo",
        duplicate_reference="HD-1013",
        reporter_email="karl@example.org",
    ),
    event("IssueCommented", "Karl Muster", "reporter", body="Still down.", visibility="public"),
    event("IssueResolved", "demo", resolution="New cable."),
    event("IssueClosed", "auto-close", "system"),
]


def sentences() -> list[str]:
    """Each entry's title and whom it names after it, as the page shows them (without the time
    and the text)."""
    html = timeline_html(timeline(HISTORY, {}), "/staff/")
    entries = re.findall(r"<li.*?>(.*?)<time", html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", entry).split()).rstrip(" ·") for entry in entries]


class When_staff_read_the_timeline_in_english:
    def because_the_entries_are_rendered(self):
        with translation.override("en"):
            self.said = sentences()

    def it_should_name_each_actor_once_and_no_process(self):
        expect(self.said).to(
            equal(
                [
                    "Picked by demo",
                    "SLA policy Standard applies",
                    "SLA policy Standard applies",
                    "HD-1013 was merged into this issue by demo; its reporter karl@example.org "
                    "follows this one now",
                    "Comment from Karl Muster (reporter) Public",
                    "Resolved by demo",
                    "Closed",
                ]
            )
        )


class When_staff_read_the_timeline_in_german:
    def because_the_entries_are_rendered(self):
        with translation.override("de"):
            self.said = sentences()

    def it_should_name_each_actor_once_and_no_process(self):
        expect(self.said).to(
            equal(
                [
                    "Von demo übernommen",
                    "SLA-Richtlinie Standard gilt",
                    "SLA-Richtlinie Standard gilt",
                    "HD-1013 wurde von demo in dieses Anliegen zusammengeführt; die meldende "
                    "Person von dort, karl@example.org, verfolgt jetzt dieses Anliegen",
                    "Kommentar von Karl Muster (meldende Person) Öffentlich",
                    "Gelöst von demo",
                    "Geschlossen",
                ]
            )
        )
