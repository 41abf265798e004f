"""`manage.py seed_demo`: the demo staff login and a few dozen realistic issues, idempotently.

Every issue is made through the message bus commands, so its events are recorded (and mail,
read models and the rest follow) exactly as if people had done it. Issue ids are derived from
the scenario's number, so running the command again finds them and adds nothing.
"""

import os
import uuid

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from issues_adapters.canned_replies import store as canned_replies
from issues_adapters.canned_replies.models import CannedReplyRecord
from issues_adapters.persistence.models import IssueRecord
from issues_adapters.sla.defaults import seed_policies
from issues_adapters.wiring import message_bus
from issues_domain import commands
from issues_domain.values import Actor, IssueReporter

DEMO_USERNAME = "demo"
DEFAULT_DEMO_PASSWORD = "helpdesk-demo"
COLLEAGUES = ("alice", "bob")
_NAMESPACE = uuid.UUID("6f1f0f0e-3c55-4f4e-9a55-0f5b1c0de5ed")

REPORTERS = [
    ("Fred Bloggs", "fred.bloggs@example.org"),
    ("Amira Haddad", "amira.haddad@example.org"),
    ("Jonas Berg", "jonas.berg@example.org"),
    ("Priya Natarajan", "priya.n@example.org"),
    ("Tomás Ruiz", "tomas.ruiz@example.org"),
    ("Mei Lin", "mei.lin@example.org"),
]

# (description, category, priority, the story up to its final status, staff member)
SCENARIOS = [
    (
        "The printer on the second floor jams on every other page.",
        "printing",
        "normal",
        "reported",
        None,
    ),
    (
        "I can't log in to the expenses system since this morning: 'account locked'.",
        "accounts",
        "high",
        "reported",
        None,
    ),
    ("Wi-Fi in meeting room 3 drops every few minutes.", "network", None, "reported", None),
    ("My laptop fan is very loud and the machine gets hot.", "hardware", None, "reported", None),
    ("Outlook keeps asking for my password.", "email", None, "reported", None),
    (
        "Please install the new version of the statistics package on my PC.",
        "software",
        None,
        "reported",
        None,
    ),
    ("The scanner sends scans to the wrong email address.", "printing", None, "reported", None),
    ("The projector in the board room shows everything in green.", None, None, "reported", None),
    ("VPN disconnects when I switch from Wi-Fi to cable.", "network", "normal", "triaged", None),
    ("New starter next Monday needs an account and a laptop.", "accounts", "high", "triaged", None),
    ("Shared mailbox 'sales@' does not show new mail.", "email", "urgent", "triaged", None),
    ("Monitor flickers when the brightness is below 50%.", "hardware", "low", "triaged", None),
    ("Spreadsheet macros are blocked after the update.", "software", "normal", "triaged", None),
    (
        "The badge reader at the side entrance beeps but doesn't open.",
        "other",
        "high",
        "triaged",
        None,
    ),
    ("Network drive S: is very slow to open folders.", "network", "high", "assigned", "alice"),
    ("Keyboard missing the 'E' key (coffee incident).", "hardware", "low", "assigned", "bob"),
    (
        "Calendar invites arrive an hour late for the Lisbon team.",
        "email",
        "normal",
        "assigned",
        "demo",
    ),
    ("Licence for the design tool expired.", "software", "urgent", "assigned", "demo"),
    (
        "Colour printing comes out in black and white only.",
        "printing",
        "normal",
        "assigned",
        "alice",
    ),
    ("Password reset emails never arrive.", "accounts", "urgent", "assigned", "bob"),
    ("Docking station doesn't charge my laptop.", "hardware", "normal", "assigned", "demo"),
    (
        "Printer in the library says 'toner low' but it's new.",
        "printing",
        "low",
        "resolved",
        "alice",
    ),
    ("Cannot connect to the guest Wi-Fi with my phone.", "network", "normal", "resolved", "bob"),
    (
        "Please remove my old account from the mailing list tool.",
        "accounts",
        "low",
        "resolved",
        "demo",
    ),
    ("Phone headset has no sound in video calls.", "hardware", "normal", "resolved", "alice"),
    ("PDF export crashes the report writer.", "software", "high", "resolved", "demo"),
    ("Spam filter is quarantining invoices from our supplier.", "email", "high", "closed", "bob"),
    ("Second screen not detected after the update.", "hardware", "normal", "closed", "alice"),
    ("Access to the HR folder for the new team lead.", "accounts", "normal", "closed", "demo"),
    ("The plotter prints only half of the A1 sheet.", "printing", "high", "closed", "bob"),
    ("Intranet search returns nothing for 'holiday'.", "software", "low", "reopened", "alice"),
    ("Out-of-office reply goes to external senders twice.", "email", "normal", "reopened", None),
    ("The meeting room screen shows 'no signal'.", "hardware", "normal", "waiting", "demo"),
    ("Can't open attachments from the supplier portal.", "software", "high", "waiting", None),
    ("Printer asks for a PIN I never set.", "printing", "normal", "answered", "alice"),
]

PUBLIC_REPLIES = [
    "Thanks for reporting this; we're on it.",
    "Could you tell us the asset number on the sticker underneath?",
    "We've ordered the part; it should arrive this week.",
]
INTERNAL_NOTES = [
    "Same as last month: check the firmware version first.",
    "Vendor ticket opened; waiting for their reply.",
    "Don't promise a date, procurement is slow this quarter.",
]


CANNED_REPLIES = [
    (
        "Thanks, we're on it",
        "Hello {reporter_name},\n\nThanks for reporting {reference} ({subject}). We are looking "
        "into it and will write again here.\n\n{agent_name}, Helpdesk",
    ),
    (
        "Asking for the asset number",
        "Hello {reporter_name}, could you tell us the asset number on the sticker underneath "
        "the device? {agent_name}",
    ),
]


class Command(BaseCommand):
    help = "Create the demo staff login and a few dozen demo issues (idempotent)."

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
        self._staff(password)
        seed_policies()  # before the issues, so that their clocks run
        created = 0
        for number, scenario in enumerate(SCENARIOS):
            issue_id = uuid.uuid5(_NAMESPACE, f"demo-issue-{number}")
            if IssueRecord.objects.filter(id=issue_id).exists():
                continue
            with transaction.atomic():
                self._play(number, issue_id, *scenario)
            created += 1
        for title, body in CANNED_REPLIES:
            if not CannedReplyRecord.objects.filter(title=title).exists():
                canned_replies.create(title, body, by=DEMO_USERNAME)
        self.stdout.write(
            f"Demo data: {created} issues created, {len(SCENARIOS) - created} already there."
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo staff login: username '{DEMO_USERNAME}', password '{password}' "
                "(staff pages at /staff/, admin at /admin/)"
            )
        )

    def _staff(self, password: str) -> None:
        users = get_user_model()
        demo = users.objects.filter(username=DEMO_USERNAME).first()
        if demo is None:
            users.objects.create_superuser(
                DEMO_USERNAME, email="demo@example.org", password=password
            )
        elif not demo.check_password(password) or not demo.is_staff:
            demo.set_password(password)
            demo.is_staff = demo.is_superuser = demo.is_active = True
            demo.save()
        for name in COLLEAGUES:
            if not users.objects.filter(username=name).exists():
                users.objects.create_user(
                    name, email=f"{name}@example.org", password=password, is_staff=True
                )

    def _play(self, number, issue_id, description, category, priority, story, engineer):
        bus = message_bus()
        name, email = REPORTERS[number % len(REPORTERS)]
        staff = Actor.staff(engineer or DEMO_USERNAME)
        bus.handle(
            commands.ReportIssue(
                issue_id=issue_id,
                reporter_name=name,
                reporter_email=email,
                description=description,
                category=category if story == "reported" else None,
            )
        )
        if story == "reported":
            return
        bus.handle(
            commands.TriageIssue(
                issue_id=issue_id,
                category=category,
                priority=priority or "normal",
                actor=Actor.staff(DEMO_USERNAME),
            )
        )
        if story in ("waiting", "answered"):
            self._wait_on_reporter(issue_id, staff, engineer, story, IssueReporter(name, email))
            return
        if story == "triaged":
            if number % 2:
                self._comment(issue_id, staff, PUBLIC_REPLIES[number % 3], "public")
            return
        if engineer:
            if engineer == DEMO_USERNAME or number % 2:
                bus.handle(commands.PickIssue(issue_id=issue_id, engineer=engineer))
            else:
                bus.handle(
                    commands.AssignIssue(
                        issue_id=issue_id, assignee=engineer, actor=Actor.staff(DEMO_USERNAME)
                    )
                )
        self._comment(issue_id, staff, PUBLIC_REPLIES[number % 3], "public")
        self._comment(issue_id, staff, INTERNAL_NOTES[number % 3], "internal")
        if story == "assigned":
            if number % 3 == 0:
                reporter = Actor.reporter(IssueReporter(name, email))
                self._comment(issue_id, reporter, "Any news? It's still happening.", "public")
            return
        bus.handle(
            commands.MarkIssueAsResolved(
                issue_id=issue_id,
                resolution="Fixed; please tell us if it happens again.",
                actor=staff,
            )
        )
        if story == "reopened":
            bus.handle(
                commands.ReopenIssue(
                    issue_id=issue_id,
                    reason="It's back since Monday.",
                    actor=Actor.reporter(IssueReporter(name, email)),
                )
            )
        elif story == "closed":
            bus.handle(commands.CloseIssue(issue_id=issue_id, actor=staff))

    def _wait_on_reporter(self, issue_id, staff, engineer, story, reporter):
        bus = message_bus()
        if engineer:
            bus.handle(commands.PickIssue(issue_id=issue_id, engineer=engineer))
        bus.handle(
            commands.AwaitReporter(issue_id=issue_id, comment=PUBLIC_REPLIES[1], actor=staff)
        )
        if story == "answered":
            self._comment(issue_id, Actor.reporter(reporter), "It's asset 4711.", "public")

    def _comment(self, issue_id, author, body, visibility):
        message_bus().handle(
            commands.CommentOnIssue(
                issue_id=issue_id, author=author, body=body, visibility=visibility
            )
        )
