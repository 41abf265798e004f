"""/staff/sla/: staff see the SLA policies and their calendars; admins change them (the
admin's forms, which the domain checks, or the API)."""

from django.shortcuts import render
from django.utils.dates import WEEKDAYS_ABBR
from django.views.decorators.http import require_GET

from issues_adapters.sla import editing
from issues_adapters.sla.models import SlaPolicyRecord
from issues_adapters.web import reference_data
from issues_adapters.web.views.staff import staff_required


@require_GET
@staff_required
def policies(request):
    shown = []
    names = reference_data.current().category_names
    for record in SlaPolicyRecord.objects.select_related("calendar"):
        data = editing.as_data(record)
        # By the name the queue shows, in the reader's language; the slug of one removed since.
        data["category_name"] = names.get(record.category, record.category)
        data["calendar"]["days"] = ", ".join(
            str(WEEKDAYS_ABBR[day]) for day in sorted(data["calendar"]["working_days"])
        )
        shown.append(data)
    return render(request, "sla/policies.html", {"policies": shown})
