"""The timers: the two process managers acting when their time has come.

One pass (`tick`) takes the deadlines that are due from the clocks' indexed `next_timer_at`
and sends FlagSlaWarning / FlagSlaBreach, and takes the issues resolved longer ago than
HELPDESK_AUTO_CLOSE_DAYS from the auto-close model's indexed `resolved_at` and sends CloseIssue
as the system - never a scan of the open issues. It runs in every pass of `manage.py
relay_events` and in the Celery beat task `sla.tick`.

The due timers are acted on in batches of BATCH, one transaction a batch: its timers' rows
are locked in one statement, skipping rows another worker holds (PostgreSQL; so several
workers share the due set), and the flags' issues are read ahead in one more; then each
timer's command goes through the bus as usual, its own unit of work recording its own event.
The flags' units of work write together (persistence.unit_of_work.written_together: their
rows and events in a few statements for the batch); if that fails, they run again each in a
savepoint of its own, as the auto-close commands always do, so a failing one fails alone.

Once per deadline, however many run it: a worker holds a timer's row until its batch commits,
and the issue itself refuses a second flag of a deadline (every database). A deadline acted
on is held for a minute, until its event has reached the clocks and moved their next timer; a
command that fails is tried again with back-off and parked after
HELPDESK_SLA_TIMER_ATTEMPTS attempts (its hold row says why); a parked timer holds up that
issue's later timers until an admin retries it (`retry_parked`, the admin).
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from issues_adapters.persistence.repository import rows_read_ahead
from issues_adapters.persistence.unit_of_work import written_together
from issues_adapters.sla.models import AutoClose, SlaClock, SlaTimerHold
from issues_domain import commands
from issues_domain.errors import CommandRefused, ConcurrentUpdate, IssueNotFound
from issues_domain.sla_clock import TimerKind
from issues_domain.values import Actor
from issues_service.messagebus import MessageBus

logger = logging.getLogger(__name__)

HOLD = timedelta(seconds=60)
BATCH = 50
AUTO_CLOSE = "auto_close"


@dataclass
class TimerPass:
    fired: int = 0
    refused: int = 0
    failed: int = 0
    parked: int = 0

    def add(self, other: "TimerPass") -> None:
        self.fired += other.fired
        self.refused += other.refused
        self.failed += other.failed
        self.parked += other.parked

    @property
    def acted(self) -> int:
        return self.fired + self.refused + self.failed


def _held(now: datetime, deadline) -> Exists:
    return Exists(
        SlaTimerHold.objects.filter(issue_id=OuterRef("issue_id"), deadline=deadline).filter(
            Q(parked=True) | Q(not_before__gt=now)
        )
    )


def due_deadlines(now: datetime, limit: int) -> list[tuple]:
    return list(
        SlaClock.objects.filter(next_timer_at__lte=now)
        .exclude(_held(now, OuterRef("next_timer_deadline")))
        .order_by("next_timer_at")
        .values_list(
            "issue_id", "next_timer_kind", "next_timer_goal", "next_timer_deadline", "next_timer_at"
        )[:limit]
    )


def due_closures(now: datetime, limit: int) -> list:
    days = settings.HELPDESK_AUTO_CLOSE_DAYS
    if days <= 0:
        return []
    return list(
        AutoClose.objects.filter(resolved_at__lte=now - timedelta(days=days))
        .exclude(_held(now, AUTO_CLOSE))
        .order_by("resolved_at")
        .values_list("issue_id", flat=True)[:limit]
    )


def tick(bus: MessageBus, *, now: datetime | None = None, limit: int = 500) -> TimerPass:
    now = now or timezone.now()
    done = TimerPass()
    work = []
    for issue_id, kind, goal, deadline, due_at in due_deadlines(now, limit):
        flag = commands.FlagSlaWarning if kind == TimerKind.WARNING else commands.FlagSlaBreach
        work.append(
            (flag(issue_id=issue_id, goal=goal, deadline=deadline, due_at=due_at), deadline)
        )
    for issue_id in due_closures(now, limit):
        work.append(
            (commands.CloseIssue(issue_id=issue_id, actor=Actor.system("auto-close")), AUTO_CLOSE)
        )
    for start in range(0, len(work), BATCH):
        # One commit a batch: a commit, not the commands, is what a pass of many flags waits
        # for; and what each flag would read alone is read once for the batch.
        with transaction.atomic():
            mine = _mine(work[start : start + BATCH], now)
            flags = [item for item in mine if item[1] != AUTO_CLOSE]
            held = _flag(bus, flags, now, done)
            held += [_act(bus, *item, now, done) for item in mine if item[1] == AUTO_CLOSE]
            _hold([item for item in held if item is not None], now)
    return done


def _flag(bus: MessageBus, flags: list[tuple], now: datetime, done: TimerPass) -> list:
    """The batch's flags, their issues read ahead and their writes made together; if writing
    them together fails, each again on its own (its own savepoint), so that a failing one
    fails alone."""
    if not flags:
        return []
    issue_ids = [command.issue_id for command, _ in flags]
    tried = TimerPass()
    try:
        with transaction.atomic():
            with rows_read_ahead(issue_ids), written_together() as together:
                held = [_act(bus, *item, now, tried) for item in flags]
            together.write()
    except Exception:
        logger.warning("SLA flags written together failed; each on its own", exc_info=True)
    else:
        done.add(tried)
        return held
    with rows_read_ahead(issue_ids):
        return [_act(bus, *item, now, done) for item in flags]


def _mine(batch: list[tuple], now: datetime) -> list[tuple]:
    """The batch's timers that no other worker is acting on, their rows locked (PostgreSQL;
    a worker holding one keeps it until its batch commits) in one statement for the batch.

    A timer another worker has acted on since the pass read it (its hold committed) or whose
    row has moved on (a flag reached the clocks) is left out; one that slips through between
    the two is refused by the issue, which flags a deadline once."""
    flags = [command.issue_id for command, deadline in batch if deadline != AUTO_CLOSE]
    closes = [command.issue_id for command, deadline in batch if deadline == AUTO_CLOSE]
    locked = set()
    if flags:
        rows = SlaClock.objects.filter(issue_id__in=flags)
        rows = rows.exclude(_held(now, OuterRef("next_timer_deadline")))
        rows = rows.select_for_update(skip_locked=True)
        locked.update(rows.values_list("issue_id", "next_timer_deadline"))
    if closes:
        rows = AutoClose.objects.filter(issue_id__in=closes, resolved_at__isnull=False)
        rows = rows.exclude(_held(now, AUTO_CLOSE)).select_for_update(skip_locked=True)
        locked.update(
            (issue_id, AUTO_CLOSE) for issue_id in rows.values_list("issue_id", flat=True)
        )
    return [
        (command, deadline) for command, deadline in batch if (command.issue_id, deadline) in locked
    ]


def _act(bus: MessageBus, command, deadline: str, now: datetime, done: TimerPass):
    """Send the command; the (issue, deadline) to hold if it is done with, else None.

    Its unit of work is a savepoint of the batch's transaction (or, written together, writes
    nothing until the batch does): what a failing command wrote is rolled back, the batch's
    other commands are kept."""
    issue_id = command.issue_id
    try:
        bus.handle(command)
        done.fired += 1
    except ConcurrentUpdate as error:
        _failed(issue_id, deadline, error, now, done)
        return None
    except (CommandRefused, IssueNotFound):
        done.refused += 1  # flagged already, or its clock stopped meanwhile: nothing to do
    except Exception as error:
        logger.exception("SLA timer %s for issue %s failed", deadline, issue_id)
        _failed(issue_id, deadline, error, now, done)
        return None
    return issue_id, deadline


def _hold(done_with: list[tuple], now: datetime) -> None:
    SlaTimerHold.objects.bulk_create(
        [
            SlaTimerHold(issue_id=issue_id, deadline=deadline, not_before=now + HOLD)
            for issue_id, deadline in done_with
        ],
        update_conflicts=True,
        unique_fields=["issue_id", "deadline"],
        update_fields=["not_before", "attempts", "parked", "last_error"],
    )


def _failed(issue_id, deadline: str, error: Exception, now: datetime, done: TimerPass) -> None:
    done.failed += 1
    hold, _ = SlaTimerHold.objects.get_or_create(
        issue_id=issue_id, deadline=deadline, defaults={"not_before": now}
    )
    hold.attempts += 1
    wait = min(
        settings.HELPDESK_RETRY_BASE_SECONDS * 2 ** (hold.attempts - 1),
        settings.HELPDESK_RETRY_MAX_SECONDS,
    )
    hold.not_before = now + timedelta(seconds=wait)
    hold.parked = hold.attempts >= settings.HELPDESK_SLA_TIMER_ATTEMPTS
    hold.last_error = f"{type(error).__name__}: {error}"[:4000]
    hold.save()
    if hold.parked:
        done.parked += 1
        logger.error("SLA timer %s for issue %s parked: %s", deadline, issue_id, hold.last_error)


def retry_parked(ids=None) -> int:
    """Give parked timers (these holds, or all) a fresh set of attempts; how many."""
    parked = SlaTimerHold.objects.filter(parked=True)
    if ids is not None:
        parked = parked.filter(id__in=ids)
    return parked.delete()[0]
