"""Command handlers: one class per command, each doing the four boring steps.

Get the issue, ask it to change, commit (which records its events), and return what the caller
needs. No business rule lives here: the Issue decides what is allowed.
"""

import uuid

from issues_domain import commands
from issues_domain.issue import Issue
from issues_domain.sla_clock import TimerKind
from issues_service.unit_of_work import UnitOfWork


class CommandHandler:
    def __init__(self, uow: UnitOfWork):
        self.uow = uow


class ReportIssueHandler(CommandHandler):
    def __call__(self, cmd: commands.ReportIssue) -> uuid.UUID:
        with self.uow:
            issue = Issue.report(
                issue_id=cmd.issue_id,
                reference=self.uow.issues.next_reference(),
                reporter_name=cmd.reporter_name,
                reporter_email=cmd.reporter_email,
                description=cmd.description,
                subject=cmd.subject,
                attachments=cmd.attachments,
                watchers=cmd.watchers,
                category=cmd.category,
                priority=cmd.priority,
                categories=self.uow.categories,
                language=cmd.language,
                sla=self.uow.sla_policies,
            )
            self.uow.issues.add(issue)
            self.uow.commit()
        return issue.id


class TriageIssueHandler(CommandHandler):
    def __call__(self, cmd: commands.TriageIssue) -> uuid.UUID:
        with self.uow:
            issue = self.uow.issues.get(cmd.issue_id)
            issue.expect_version(cmd.expected_version)
            issue.triage(
                cmd.category, cmd.priority, cmd.actor, self.uow.categories, self.uow.sla_policies
            )
            self.uow.commit()
        return issue.id


class AssignIssueHandler(CommandHandler):
    def __call__(self, cmd: commands.AssignIssue) -> uuid.UUID:
        with self.uow:
            issue = self.uow.issues.get(cmd.issue_id)
            issue.expect_version(cmd.expected_version)
            issue.assign(cmd.assignee, cmd.actor, self.uow.staff)
            self.uow.commit()
        return issue.id


class PickIssueHandler(CommandHandler):
    def __call__(self, cmd: commands.PickIssue) -> uuid.UUID:
        with self.uow:
            issue = self.uow.issues.get(cmd.issue_id)
            issue.expect_version(cmd.expected_version)
            issue.pick(cmd.engineer)
            self.uow.commit()
        return issue.id


class CommentOnIssueHandler(CommandHandler):
    def __call__(self, cmd: commands.CommentOnIssue) -> uuid.UUID:
        with self.uow:
            issue = self.uow.issues.get(cmd.issue_id)
            issue.expect_version(cmd.expected_version)
            issue.comment(cmd.comment_id, cmd.author, cmd.body, cmd.visibility, cmd.attachments)
            self.uow.commit()
        return issue.id


class MarkIssueAsResolvedHandler(CommandHandler):
    def __call__(self, cmd: commands.MarkIssueAsResolved) -> uuid.UUID:
        with self.uow:
            issue = self.uow.issues.get(cmd.issue_id)
            issue.expect_version(cmd.expected_version)
            issue.mark_as_resolved(cmd.resolution, cmd.actor)
            self.uow.commit()
        return issue.id


class ReopenIssueHandler(CommandHandler):
    def __call__(self, cmd: commands.ReopenIssue) -> uuid.UUID:
        with self.uow:
            issue = self.uow.issues.get(cmd.issue_id)
            issue.expect_version(cmd.expected_version)
            issue.reopen(cmd.reason, cmd.actor)
            self.uow.commit()
        return issue.id


class CloseIssueHandler(CommandHandler):
    def __call__(self, cmd: commands.CloseIssue) -> uuid.UUID:
        with self.uow:
            issue = self.uow.issues.get(cmd.issue_id)
            issue.expect_version(cmd.expected_version)
            issue.close(cmd.actor)
            self.uow.commit()
        return issue.id


class AwaitReporterHandler(CommandHandler):
    def __call__(self, cmd: commands.AwaitReporter) -> uuid.UUID:
        with self.uow:
            issue = self.uow.issues.get(cmd.issue_id)
            issue.expect_version(cmd.expected_version)
            issue.await_reporter(cmd.comment_id, cmd.comment, cmd.actor, cmd.attachments)
            self.uow.commit()
        return issue.id


class TagIssueHandler(CommandHandler):
    def __call__(self, cmd: commands.TagIssue) -> uuid.UUID:
        with self.uow:
            issue = self.uow.issues.get(cmd.issue_id)
            issue.expect_version(cmd.expected_version)
            issue.tag(cmd.add, cmd.remove, cmd.actor)
            self.uow.commit()
        return issue.id


class ReplyToIssueHandler(CommandHandler):
    """The composer's one round: the reply and what follows it, in one unit of work."""

    def __call__(self, cmd: commands.ReplyToIssue) -> uuid.UUID:
        with self.uow:
            issue = self.uow.issues.get(cmd.issue_id)
            issue.expect_version(cmd.expected_version)
            issue.reply(
                cmd.comment_id,
                cmd.author,
                cmd.body,
                cmd.visibility,
                cmd.follow_up,
                cmd.attachments,
            )
            self.uow.commit()
        return issue.id


class MergeIssueHandler(CommandHandler):
    """Both issues change in the one unit of work: the duplicate closes, the target learns."""

    def __call__(self, cmd: commands.MergeIssue) -> uuid.UUID:
        with self.uow:
            duplicate, target = self.uow.issues.get_pair(cmd.issue_id, cmd.into)
            duplicate.expect_version(cmd.expected_version)
            duplicate.merge_into(target, cmd.actor)
            self.uow.commit()
        return duplicate.id


class LinkIssuesHandler(CommandHandler):
    def __call__(self, cmd: commands.LinkIssues) -> uuid.UUID:
        with self.uow:
            issue, other = self.uow.issues.get_pair(cmd.issue_id, cmd.other)
            issue.expect_version(cmd.expected_version)
            issue.link(other, cmd.kind, cmd.actor)
            self.uow.commit()
        return issue.id


class UnlinkIssuesHandler(CommandHandler):
    def __call__(self, cmd: commands.UnlinkIssues) -> uuid.UUID:
        with self.uow:
            issue, other = self.uow.issues.get_pair(cmd.issue_id, cmd.other)
            issue.expect_version(cmd.expected_version)
            issue.unlink(other, cmd.actor)
            self.uow.commit()
        return issue.id


class FlagSlaWarningHandler(CommandHandler):
    def __call__(self, cmd: commands.FlagSlaWarning) -> uuid.UUID:
        with self.uow:
            issue = self.uow.issues.get_without_timeline(cmd.issue_id)
            issue.flag_sla(TimerKind.WARNING, cmd.goal, cmd.deadline, cmd.due_at)
            self.uow.commit()
        return issue.id


class AddWatcherHandler(CommandHandler):
    def __call__(self, cmd: commands.AddWatcher) -> uuid.UUID:
        with self.uow:
            issue = self.uow.issues.get(cmd.issue_id)
            issue.expect_version(cmd.expected_version)
            issue.add_watcher(cmd.email, cmd.actor)
            self.uow.commit()
        return issue.id


class FlagSlaBreachHandler(CommandHandler):
    def __call__(self, cmd: commands.FlagSlaBreach) -> uuid.UUID:
        with self.uow:
            issue = self.uow.issues.get_without_timeline(cmd.issue_id)
            issue.flag_sla(TimerKind.BREACH, cmd.goal, cmd.deadline, cmd.due_at)
            self.uow.commit()
        return issue.id


class RateSatisfactionHandler(CommandHandler):
    def __call__(self, cmd: commands.RateSatisfaction) -> uuid.UUID:
        with self.uow:
            issue = self.uow.issues.get(cmd.issue_id)
            issue.rate_satisfaction(cmd.score, cmd.comment)
            self.uow.commit()
        return issue.id


class RemoveWatcherHandler(CommandHandler):
    def __call__(self, cmd: commands.RemoveWatcher) -> uuid.UUID:
        with self.uow:
            issue = self.uow.issues.get(cmd.issue_id)
            issue.expect_version(cmd.expected_version)
            issue.remove_watcher(cmd.email, cmd.actor)
            self.uow.commit()
        return issue.id


COMMAND_HANDLERS: dict[type[commands.Command], type[CommandHandler]] = {
    commands.ReportIssue: ReportIssueHandler,
    commands.TriageIssue: TriageIssueHandler,
    commands.AssignIssue: AssignIssueHandler,
    commands.PickIssue: PickIssueHandler,
    commands.CommentOnIssue: CommentOnIssueHandler,
    commands.MarkIssueAsResolved: MarkIssueAsResolvedHandler,
    commands.ReopenIssue: ReopenIssueHandler,
    commands.CloseIssue: CloseIssueHandler,
    commands.AwaitReporter: AwaitReporterHandler,
    commands.ReplyToIssue: ReplyToIssueHandler,
    commands.TagIssue: TagIssueHandler,
    commands.MergeIssue: MergeIssueHandler,
    commands.LinkIssues: LinkIssuesHandler,
    commands.UnlinkIssues: UnlinkIssuesHandler,
    commands.FlagSlaWarning: FlagSlaWarningHandler,
    commands.FlagSlaBreach: FlagSlaBreachHandler,
    commands.RateSatisfaction: RateSatisfactionHandler,
    commands.AddWatcher: AddWatcherHandler,
    commands.RemoveWatcher: RemoveWatcherHandler,
}
