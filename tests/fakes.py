"""Fakes of the ports, for domain and service specs that need no database."""

import copy
import uuid

from issues_domain.errors import IssueNotFound
from issues_domain.events import Event
from issues_domain.issue import Issue
from issues_domain.ports import CategoryCatalogue, IssueLog, StaffDirectory
from issues_domain.sla import SlaPolicy, SlaPolicyBook
from issues_service.unit_of_work import StaleWrite, UnitOfWork


class FakeIssueLog(IssueLog):
    """Keeps committed copies, so a handler's uncommitted changes never leak into storage."""

    def __init__(self, issues=()):
        self.stored: dict[uuid.UUID, Issue] = {issue.id: issue for issue in issues}
        self.seen: dict[uuid.UUID, Issue] = {}
        self.loaded_versions: dict[uuid.UUID, int] = {}
        self.loaded_without_timeline: list[uuid.UUID] = []
        self._next = 1000 + len(self.stored)

    def add(self, issue: Issue) -> None:
        self.seen[issue.id] = issue
        self.loaded_versions[issue.id] = 0

    def get(self, issue_id: uuid.UUID) -> Issue:
        if issue_id not in self.stored:
            raise IssueNotFound()
        issue = copy.deepcopy(self.stored[issue_id])
        issue.events = []
        self.seen[issue_id] = issue
        self.loaded_versions[issue_id] = issue.version
        return issue

    def get_without_timeline(self, issue_id: uuid.UUID) -> Issue:
        self.loaded_without_timeline.append(issue_id)
        return self.get(issue_id)

    def find(self, id_or_reference: str) -> Issue:
        for issue in self.stored.values():
            if id_or_reference in (str(issue.id), issue.reference):
                return self.seen.get(issue.id) or self.get(issue.id)
        raise IssueNotFound()

    def next_reference(self) -> str:
        self._next += 1
        return f"HD-{self._next}"

    def save_seen(self) -> list[Event]:
        for issue_id in self.seen:
            stored = self.stored.get(issue_id)
            if (stored.version if stored else 0) != self.loaded_versions[issue_id]:
                raise StaleWrite(issue_id)
        events = [event for issue in self.seen.values() for event in issue.events]
        for issue_id, issue in self.seen.items():
            self.stored[issue_id] = copy.deepcopy(issue)
            issue.events = []
        self.seen = {}
        return events


class FakeStaffDirectory(StaffDirectory):
    def __init__(self, *active_usernames: str):
        self.active = set(active_usernames)

    def is_active_staff(self, username: str) -> bool:
        return username in self.active


class FakeCategories(CategoryCatalogue):
    def __init__(self, *categories: str):
        self.categories = set(categories)

    def is_known(self, category: str) -> bool:
        return category in self.categories


class FakeUnitOfWork(UnitOfWork):
    def __init__(self, issues=(), staff=("alice", "bob"), categories=("hardware", "network")):
        self.issues = FakeIssueLog(issues)
        self.staff = FakeStaffDirectory(*staff)
        self.categories = FakeCategories(*categories)
        self.committed = False
        self.events: list[Event] = []

    def commit(self) -> None:
        self.events.extend(self.issues.save_seen())
        self.committed = True

    def rollback(self) -> None:
        self.issues.seen = {}

    def recorded_events(self) -> list[Event]:
        return list(self.events)


class StaleUnitOfWork(FakeUnitOfWork):
    """A unit of work whose first `stale_commits` commits find the issue changed underneath."""

    def __init__(self, *, stale_commits: int, **kwargs):
        super().__init__(**kwargs)
        self.stale_commits = stale_commits
        self.commit_attempts = 0

    def commit(self) -> None:
        self.commit_attempts += 1
        if self.commit_attempts <= self.stale_commits:
            raise StaleWrite("somebody else changed the issue first")
        super().commit()


class RacingUnitOfWork(FakeUnitOfWork):
    """Before each of its first `races` commits, a rival commits a change to the same issue.

    The rival's change bumps the stored version, so the commit finds its write stale, just as
    a real database would, and the command has to be re-run against the fresh state.
    """

    def __init__(self, *, rival, races: int, **kwargs):
        super().__init__(**kwargs)
        self.rival, self.races = rival, races
        self.commit_attempts = 0

    def commit(self) -> None:
        self.commit_attempts += 1
        if self.commit_attempts <= self.races:
            for issue_id, issue in list(self.issues.stored.items()):
                rivals_copy = copy.deepcopy(issue)
                self.rival(rivals_copy)
                self.issues.stored[issue_id] = rivals_copy
        super().commit()


class FakeSlaPolicies(SlaPolicyBook):
    def __init__(self, *policies: SlaPolicy):
        self.kept = list(policies)

    def policies(self) -> list[SlaPolicy]:
        return list(self.kept)
