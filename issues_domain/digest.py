"""Reporter comments reach the assignee a burst at a time (docs/lifecycle.md); on an issue
nobody has, whoever resolved it (issues_domain.audience.staff_of_reporter_comment).

A reporter who writes five comments in two minutes gets the assignee one mail listing all
five, not five mails. Each comment waits until it is `window` old; then, unless a digest
already told of it, one digest tells the assignee every comment addressed to them (by the
event as it was recorded) that no digest has told yet, oldest first. A later comment of
the same burst finds itself told and mails nobody.

The digest is the first untold comment's to send. A later comment's delivery sends it only if
the first's has not, a window after it was due (its delivery failing or late): two workers
taking a burst's comments at the same moment would otherwise both send it.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from issues_domain.audience import Recipient, staff_of_reporter_comment
from issues_domain.events import IssueCommented, IssueResolved


@dataclass(frozen=True)
class Wait:
    """Nothing to send before `until`: more comments of the burst may come."""

    until: datetime


@dataclass(frozen=True)
class Digest:
    to: Recipient
    comments: tuple[IssueCommented, ...]

    @property
    def first(self) -> IssueCommented:
        """The comment that names the mail (its Message-ID)."""
        return self.comments[0]


def reporter_comment_digest(
    comment: IssueCommented,
    *,
    comments_so_far: Iterable[IssueCommented],
    told: set[uuid.UUID],
    now: datetime,
    window: timedelta,
    resolutions: Iterable[IssueResolved] = (),
) -> Digest | Wait | None:
    """What the assignee (or resolver) is to be told on delivering this comment: nothing
    (nobody to tell, a staff comment or a note, or a digest told of it already), not yet, or a
    digest. `resolutions` are the issue's IssueResolved events."""
    resolutions = tuple(resolutions)
    to = staff_of_reporter_comment(comment, resolutions)
    if to is None or comment.event_id in told:
        return None
    if now < comment.occurred_at + window:
        return Wait(comment.occurred_at + window)
    untold = {
        earlier.event_id: earlier
        for earlier in [*comments_so_far, comment]
        if earlier.event_id not in told and staff_of_reporter_comment(earlier, resolutions) == to
    }
    digest = Digest(to, tuple(sorted(untold.values(), key=lambda earlier: earlier.version)))
    taken_over_at = digest.first.occurred_at + 2 * window
    if digest.first != comment and now < taken_over_at:
        return Wait(taken_over_at)
    return digest
