"""Domain errors. Each has a stable snake_case `code` that adapters show to clients."""


class DomainError(Exception):
    code = "domain_error"
    message = "The helpdesk refused this."

    def __init__(self, message: str | None = None):
        super().__init__(message or self.message)

    @property
    def detail(self) -> str:
        return str(self)


class InvalidInput(DomainError):
    """Bad input; `errors` maps each field to its messages."""

    code = "invalid_input"
    message = "Some fields are not valid."

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in errors.items()))

    @classmethod
    def on(cls, field: str, message: str) -> "InvalidInput":
        return cls({field: [message]})


class IssueNotFound(DomainError):
    code = "issue_not_found"
    message = "There is no such issue."


class CommandRefused(DomainError):
    """The command is well-formed but the issue's state does not allow it (HTTP 409)."""

    code = "command_refused"


class IssueAlreadyResolved(CommandRefused):
    code = "issue_already_resolved"
    message = "This issue is already resolved."


class IssueIsClosed(CommandRefused):
    code = "issue_closed"
    message = "This issue is closed; nothing more can be done with it."


class IssueNotResolved(CommandRefused):
    code = "issue_not_resolved"
    message = "Only a resolved issue can be reopened or closed."


class IssueAlreadyAssigned(CommandRefused):
    code = "issue_already_assigned"
    message = "Somebody is already assigned to this issue; it cannot be picked."


class AlreadyTheAssignee(CommandRefused):
    code = "already_the_assignee"

    def __init__(self, username: str):
        super().__init__(f"This issue is already assigned to {username}.")


class AssigneeNotActiveStaff(InvalidInput):
    code = "assignee_not_active_staff"

    def __init__(self, username: str):
        super().__init__({"assignee": [f"{username!r} is not an active staff member."]})


class UnknownCategory(InvalidInput):
    code = "unknown_category"

    def __init__(self, category: str):
        super().__init__({"category": [f"{category!r} is not a known category."]})


class ReporterNotesArePublic(InvalidInput):
    code = "reporter_notes_are_public"

    def __init__(self):
        super().__init__({"visibility": ["A reporter's comment is always public."]})


class StaleVersion(DomainError):
    """The client acted on a version of the issue that is no longer current (HTTP 412)."""

    code = "stale_version"

    def __init__(self, expected: int, actual: int):
        self.expected, self.actual = expected, actual
        super().__init__(
            f"You acted on version {expected} of this issue, but it is now at version {actual}: "
            "somebody else changed it. Reload it and try again."
        )


class ConcurrentUpdate(CommandRefused):
    """Another writer kept winning the race for this issue; the command was retried and gave up."""

    code = "concurrent_update"
    message = "Somebody else kept changing this issue at the same time; please try again."


class AlreadyWatching(CommandRefused):
    code = "already_watching"

    def __init__(self, email: str):
        super().__init__(f"{email} is already watching this issue.")


class NotWatching(CommandRefused):
    code = "not_watching"

    def __init__(self, email: str):
        super().__init__(f"{email} is not watching this issue.")


class ReporterCannotWatch(CommandRefused):
    code = "reporter_cannot_watch"
    message = "The reporter hears about the issue already; they cannot also watch it."


class NotAWatcher(CommandRefused):
    code = "not_a_watcher"
    message = "Only the issue's watchers may comment as one."
