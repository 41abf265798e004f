"""Staff pages of event delivery: the status panel (how far each handler is, rebuilds) and
the parked deliveries (what gave up, why, and a button to try again)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from issues_adapters.eventing import dispatch, rebuilds, relay, status
from issues_adapters.eventing.models import Delivery
from issues_adapters.wiring import mail_handler_names, message_bus, read_models

PAGE_SIZE = 100


def staff_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@staff_required
def parked_deliveries(request):
    parked = Delivery.objects.filter(status=Delivery.Status.PARKED).order_by("-last_tried_at")
    return render(
        request,
        "eventing/parked_deliveries.html",
        {
            "deliveries": parked[:PAGE_SIZE],
            "pending": Delivery.objects.filter(status=Delivery.Status.PENDING).count(),
        },
    )


@require_POST
@staff_required
def retry_delivery(request, delivery_id: int):
    report = relay.retry_parked(message_bus(), [delivery_id], in_process=not dispatch.scale_out())
    if report.delivered:
        messages.success(request, _("Delivered."))
    elif dispatch.scale_out():
        messages.info(request, _("Handed to the workers; it will be retried with back-off."))
    else:
        messages.warning(request, _("It failed again; it will be retried with back-off."))
    return redirect("eventing:parked_deliveries")


@require_POST
@staff_required
def retry_all(request):
    report = relay.retry_parked(message_bus(), in_process=not dispatch.scale_out())
    messages.info(request, _("Retried: %(report)s.") % {"report": report})
    return redirect("eventing:parked_deliveries")


@staff_required
def projections(request):
    handlers = status.handler_statuses(message_bus(), read_models())
    return render(
        request,
        "eventing/projections.html",
        {
            "handlers": handlers,
            "head": handlers[0].head if handlers else 0,
            "rebuilding": any(h.rebuild and h.rebuild.status == "running" for h in handlers),
            "may_rebuild": request.user.is_superuser,
        },
    )


@require_POST
@staff_required
def rebuild(request, name: str):
    if not request.user.is_superuser:
        raise PermissionDenied
    known = read_models()
    try:
        started = rebuilds.start(
            name, known, mail_handler_names(), requested_by=request.user.get_username()
        )
    except rebuilds.RebuildRefused as refused:
        messages.error(request, str(refused))
    else:
        rebuilds.launch(started, known)
        messages.success(
            request,
            _("Rebuilding %(name)s; the live read model answers until the new one is in.")
            % {"name": name},
        )
    return redirect("projections")
