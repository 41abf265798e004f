"""The status panel's numbers: for each event handler, how far it is and what is stuck.

A handful of indexed statements whatever the size of the log: the head is the primary key's
last entry, the lag in events is the distance from the checkpoint's position to it (an upper
bound: rolled-back transactions leave gaps), the lag in seconds is the age of the first event
after the checkpoint, and pending, sending and parked deliveries are counted through their
partial indexes.
"""

from dataclasses import asdict, dataclass
from datetime import datetime

from django.db.models import Count
from django.utils import timezone

from issues_adapters.eventing import outbox
from issues_adapters.eventing.models import Checkpoint, Delivery, Rebuild
from issues_adapters.persistence.models import RecordedEvent
from issues_service.messagebus import MessageBus


@dataclass(frozen=True)
class RebuildProgress:
    id: int
    status: str
    events_done: int
    events_total: int
    started_at: datetime
    finished_at: datetime | None
    error: str

    @property
    def percent(self) -> int:
        return (
            100 if not self.events_total else min(100, 100 * self.events_done // self.events_total)
        )


@dataclass(frozen=True)
class HandlerStatus:
    name: str
    kind: str  # "read model", "mail" or "handler"
    position: int
    head: int
    lag_events: int
    lag_seconds: float
    undelivered: int  # waiting for a retry, or being sent
    parked: int
    last_error: str
    last_error_at: datetime | None
    rebuild: RebuildProgress | None

    @property
    def rebuildable(self) -> bool:
        return self.kind == "read model"

    def as_json(self) -> dict:
        data = asdict(self)
        if self.rebuild is not None:
            data["rebuild"]["percent"] = self.rebuild.percent
        return data


def _counts(status: str) -> dict[str, int]:
    return dict(
        Delivery.objects.filter(status=status)
        .values("handler")
        .annotate(count=Count("id"))
        .values_list("handler", "count")
    )


def _kind(handler, read_models: dict) -> str:
    if handler.name in read_models:
        return "read model"
    return "mail" if getattr(handler, "sends_mail", False) else "handler"


def handler_statuses(bus: MessageBus, read_models: dict) -> list[HandlerStatus]:
    handlers = {h.name: h for hs in bus.event_handlers.values() for h in hs}
    head = outbox.head()
    checkpoints = {c.handler: c for c in Checkpoint.objects.filter(handler__in=list(handlers))}
    pending, sending, parked = _counts("pending"), _counts("sending"), _counts("parked")
    now = timezone.now()
    found = []
    for name in sorted(handlers):
        checkpoint = checkpoints.get(name)
        position = checkpoint.position if checkpoint else 0
        oldest = (
            RecordedEvent.objects.filter(position__gt=position)
            .order_by("position")
            .values_list("recorded_at", flat=True)[:1]
        )
        found.append(
            HandlerStatus(
                name=name,
                kind=_kind(handlers[name], read_models),
                position=position,
                head=head,
                lag_events=max(0, head - position),
                lag_seconds=round((now - oldest[0]).total_seconds(), 1) if oldest else 0.0,
                undelivered=pending.get(name, 0) + sending.get(name, 0),
                parked=parked.get(name, 0),
                last_error=checkpoint.last_error if checkpoint else "",
                last_error_at=checkpoint.last_error_at if checkpoint else None,
                rebuild=_latest_rebuild(name) if name in read_models else None,
            )
        )
    return found


def _latest_rebuild(name: str) -> RebuildProgress | None:
    latest = Rebuild.objects.filter(handler=name).order_by("-started_at").first()
    if latest is None:
        return None
    return RebuildProgress(
        id=latest.id,
        status=latest.status,
        events_done=latest.events_done,
        events_total=latest.events_total,
        started_at=latest.started_at,
        finished_at=latest.finished_at,
        error=latest.error,
    )
