"""Domain errors. Each has a stable snake_case `code` that adapters show to clients.

Their messages are English `Text`s marked for translation; the adapters translate them.
"""

from issues_domain.texts import Text, gettext_noop


class DomainError(Exception):
    code = "domain_error"
    message = gettext_noop("The helpdesk refused this.")

    def __init__(self, message: str | None = None):
        super().__init__(message or Text(self.message))

    @property
    def detail(self) -> str:
        """The message (a `Text` when the domain wrote it, which an adapter can translate)."""
        return self.args[0] if self.args else str(self)


class InvalidInput(DomainError):
    """Bad input; `errors` maps each field to its messages."""

    code = "invalid_input"
    message = gettext_noop("Some fields are not valid.")

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in errors.items()))

    @classmethod
    def on(cls, field: str, message: str) -> "InvalidInput":
        return cls({field: [message]})


class IssueNotFound(DomainError):
    code = "issue_not_found"
    message = gettext_noop("There is no such issue.")


class CommandRefused(DomainError):
    """The command is well-formed but the issue's state does not allow it (HTTP 409)."""

    code = "command_refused"


class IssueAlreadyResolved(CommandRefused):
    code = "issue_already_resolved"
    message = gettext_noop("This issue is already resolved.")


class IssueIsClosed(CommandRefused):
    code = "issue_closed"
    message = gettext_noop("This issue is closed; nothing more can be done with it.")


class IssueNotResolved(CommandRefused):
    code = "issue_not_resolved"
    message = gettext_noop("Only a resolved issue can be reopened or closed.")


class IssueNeverResolved(CommandRefused):
    code = "issue_never_resolved"
    message = gettext_noop("Only a resolved or closed issue can be rated.")


class IssueAlreadyAssigned(CommandRefused):
    code = "issue_already_assigned"
    message = gettext_noop("Somebody is already assigned to this issue; it cannot be picked.")


class IssueIsWaitingOnReporter(CommandRefused):
    code = "issue_waiting_on_reporter"
    message = gettext_noop("This issue is waiting for the reporter's answer.")


class IssueCannotAwaitReporter(CommandRefused):
    code = "issue_cannot_await_reporter"
    message = gettext_noop("Only a triaged or assigned issue can wait for the reporter's answer.")


class AlreadyTheAssignee(CommandRefused):
    code = "already_the_assignee"

    def __init__(self, username: str):
        super().__init__(
            Text(gettext_noop("This issue is already assigned to %(username)s."), username=username)
        )


class AssigneeNotActiveStaff(InvalidInput):
    code = "assignee_not_active_staff"

    def __init__(self, username: str):
        message = gettext_noop("'%(username)s' is not an active staff member.")
        super().__init__({"assignee": [Text(message, username=username)]})


class UnknownCategory(InvalidInput):
    code = "unknown_category"

    def __init__(self, category: str):
        message = gettext_noop("'%(category)s' is not a known category.")
        super().__init__({"category": [Text(message, category=category)]})


class ReporterNotesArePublic(InvalidInput):
    code = "reporter_notes_are_public"

    def __init__(self):
        message = gettext_noop("A reporter's comment is always public.")
        super().__init__({"visibility": [Text(message)]})


class FollowUpNeedsPublicReply(InvalidInput):
    code = "follow_up_needs_public_reply"

    def __init__(self):
        super().__init__(
            {
                "visibility": [
                    Text(
                        gettext_noop(
                            "Waiting for the reporter or resolving tells the reporter: "
                            "send it as a public reply."
                        )
                    )
                ]
            }
        )


class TooManyTags(InvalidInput):
    code = "too_many_tags"

    def __init__(self, limit: int, count: int):
        message = gettext_noop("An issue has at most %(limit)s tags; this would give it %(count)s.")
        super().__init__({"add": [Text(message, limit=limit, count=count)]})


class CannotMergeIntoItself(CommandRefused):
    code = "cannot_merge_into_itself"
    message = gettext_noop("An issue cannot be merged into itself.")


class MergeTargetClosed(CommandRefused):
    code = "merge_target_closed"
    message = gettext_noop("The issue to merge into is closed; choose an open one.")


class MergeTargetMerged(CommandRefused):
    code = "merge_target_merged"
    message = gettext_noop(
        "The issue to merge into was itself merged into another; merge into that one."
    )


class MergeCycle(CommandRefused):
    code = "merge_cycle"
    message = gettext_noop("That issue was merged into this one; merging back would make a cycle.")


class CannotLinkToItself(CommandRefused):
    code = "cannot_link_to_itself"
    message = gettext_noop("An issue cannot be linked to itself.")


class AlreadyLinked(CommandRefused):
    code = "already_linked"
    message = gettext_noop("These issues are already linked.")


class NotLinked(CommandRefused):
    code = "not_linked"
    message = gettext_noop("These issues are not linked.")


class StaleVersion(DomainError):
    """The client acted on a version of the issue that is no longer current (HTTP 412)."""

    code = "stale_version"

    def __init__(self, expected: int, actual: int):
        self.expected, self.actual = expected, actual
        message = gettext_noop(
            "You acted on version %(expected)s of this issue, but it is now at version "
            "%(actual)s: somebody else changed it. Reload it and try again."
        )
        super().__init__(Text(message, expected=expected, actual=actual))


class ConcurrentUpdate(CommandRefused):
    """Another writer kept winning the race for this issue; the command was retried and gave up."""

    code = "concurrent_update"
    message = gettext_noop(
        "Somebody else kept changing this issue at the same time; please try again."
    )


class SlaAlreadyFlagged(CommandRefused):
    """A warning or breach is recorded once per deadline, however many timers fire for it."""

    code = "sla_already_flagged"
    message = gettext_noop("This deadline has already been flagged.")


class AlreadyWatching(CommandRefused):
    code = "already_watching"

    def __init__(self, email: str):
        super().__init__(
            Text(gettext_noop("%(email)s is already watching this issue."), email=email)
        )


class NotWatching(CommandRefused):
    code = "not_watching"

    def __init__(self, email: str):
        super().__init__(Text(gettext_noop("%(email)s is not watching this issue."), email=email))


class ReporterCannotWatch(CommandRefused):
    code = "reporter_cannot_watch"
    message = gettext_noop("The reporter hears about the issue already; they cannot also watch it.")


class NotAWatcher(CommandRefused):
    code = "not_a_watcher"
    message = gettext_noop("Only the issue's watchers may comment as one.")
