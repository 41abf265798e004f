from django.urls import path

from issues_adapters.reports import dashboard
from issues_adapters.web.views import (
    bulk,
    canned_replies,
    export,
    organising,
    public,
    rating,
    settings,
    staff,
    staff_language,
    watchers,
)

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
    path("watch/<str:token>/", watchers.watch, name="watch_issue"),
    path("watch/<str:token>/comment/", watchers.watch_comment, name="watch_comment"),
    path(
        "watch/<str:token>/attachments/<uuid:attachment_id>/",
        watchers.watch_attachment,
        name="watch_attachment",
    ),
    path(
        "watch/<str:token>/attachments/<uuid:attachment_id>/thumbnail/",
        watchers.watch_thumbnail,
        name="watch_attachment_thumbnail",
    ),
    path("staff/", staff.queue, name="staff_queue"),
    path("staff/settings/", settings.staff_settings, name="staff_settings"),
    path("staff/settings/language/", staff_language.staff_language, name="staff_language"),
    path("unsubscribe/<str:token>/", settings.unsubscribe, name="unsubscribe"),
    path("staff/bulk/", bulk.bulk, name="staff_bulk"),
    path("staff/issues/<uuid:issue_id>/", staff.issue_page, name="staff_issue"),
    path("staff/issues/<uuid:issue_id>/version/", staff.issue_version, name="staff_issue_version"),
    path("staff/issues/<uuid:issue_id>/tags/", organising.tags, name="staff_issue_tags"),
    path("staff/issues/<uuid:issue_id>/links/", organising.link, name="staff_issue_link"),
    path(
        "staff/issues/<uuid:issue_id>/links/<uuid:other>/remove/",
        organising.unlink,
        name="staff_issue_unlink",
    ),
    path("staff/issues/<uuid:issue_id>/merge/", organising.merge, name="staff_issue_merge"),
    path("staff/canned-replies/", canned_replies.index, name="staff_canned_replies"),
    path(
        "staff/canned-replies/<int:reply_id>/",
        canned_replies.edit,
        name="staff_canned_reply",
    ),
    path(
        "staff/canned-replies/<int:reply_id>/delete/",
        canned_replies.delete,
        name="staff_canned_reply_delete",
    ),
    path(
        "staff/issues/<uuid:issue_id>/<slug:action>/", staff.issue_action, name="staff_issue_action"
    ),
]
