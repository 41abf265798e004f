from django.urls import path

from issues_adapters.reports import dashboard
from issues_adapters.web.views import export, public, rating, staff

urlpatterns = [
    path("", public.report, name="report"),
    path("favicon.ico", public.favicon),
    path("reported/", public.reported, name="reported"),
    path("track/<str:token>/", public.track, name="track_issue"),
    path("track/<str:token>/comment/", public.track_comment, name="track_comment"),
    path("track/<str:token>/reopen/", public.track_reopen, name="track_reopen"),
    path("track/<str:token>/rate/", rating.rate, name="rate_issue"),
    path("rate/<str:signed>/", rating.rate_link, name="rate_link"),
    path("staff/dashboard/", dashboard.dashboard, name="staff_dashboard"),
    path("staff/dashboard/<str:name>.csv", dashboard.download, name="staff_dashboard_csv"),
    path("staff/export.csv", export.export, name="staff_queue_export"),
    path("staff/", staff.queue, name="staff_queue"),
    path("staff/bulk/", staff.bulk, name="staff_bulk"),
    path("staff/issues/<uuid:issue_id>/", staff.issue_page, name="staff_issue"),
    path("staff/issues/<uuid:issue_id>/version/", staff.issue_version, name="staff_issue_version"),
    path(
        "staff/issues/<uuid:issue_id>/<slug:action>/", staff.issue_action, name="staff_issue_action"
    ),
]
