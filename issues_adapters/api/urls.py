from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.renderers import JSONRenderer

from issues_adapters.api import (
    attachments,
    canned_replies,
    organising,
    projections,
    views,
    watchers,
)
from issues_adapters.reports.api import ReportApi
from issues_adapters.sla import api as sla_api

app_name = "api"


class ErrorsInJson:
    """The schema answers YAML and the docs HTML, but their errors (a POST's 405) are JSON in
    the API's shape, like every other error under /api/."""

    def handle_exception(self, exc):
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)


class SchemaView(ErrorsInJson, SpectacularAPIView):
    pass


class DocsView(ErrorsInJson, SpectacularSwaggerSplitView):
    pass


urlpatterns = [
    path("issues/", views.IssuesApi.as_view(), name="issues"),
    path("issues/<str:issue_id>/", views.IssueDetailApi.as_view(), name="issue-detail"),
    path("issues/<str:issue_id>/events/", views.IssueEventsApi.as_view(), name="issue-events"),
    path("issues/<str:issue_id>/triage/", views.TriageIssueApi.as_view(), name="issue-triage"),
    path("issues/<str:issue_id>/assign/", views.AssignIssueApi.as_view(), name="issue-assign"),
    path("issues/<str:issue_id>/pick/", views.PickIssueApi.as_view(), name="issue-pick"),
    path(
        "issues/<str:issue_id>/comments/",
        views.CommentOnIssueApi.as_view(),
        name="issue-comments",
    ),
    path("issues/<str:issue_id>/resolve/", views.ResolveIssueApi.as_view(), name="issue-resolve"),
    path("issues/<str:issue_id>/reopen/", views.ReopenIssueApi.as_view(), name="issue-reopen"),
    path("issues/<str:issue_id>/close/", views.CloseIssueApi.as_view(), name="issue-close"),
    path(
        "issues/<str:issue_id>/await-reporter/",
        views.AwaitReporterApi.as_view(),
        name="issue-await-reporter",
    ),
    path("issues/<str:issue_id>/tags/", organising.TagIssueApi.as_view(), name="issue-tags"),
    path("issues/<str:issue_id>/merge/", organising.MergeIssueApi.as_view(), name="issue-merge"),
    path("issues/<str:issue_id>/links/", organising.LinkIssuesApi.as_view(), name="issue-links"),
    path(
        "issues/<str:issue_id>/links/<str:other>/",
        organising.UnlinkIssuesApi.as_view(),
        name="issue-unlink",
    ),
    path("canned-replies/", canned_replies.CannedRepliesApi.as_view(), name="canned-replies"),
    path(
        "canned-replies/<int:reply_id>/",
        canned_replies.CannedReplyApi.as_view(),
        name="canned-reply",
    ),
    path(
        "issues/<str:issue_id>/attachments/",
        attachments.AttachFilesApi.as_view(),
        name="issue-attachments",
    ),
    path(
        "issues/<str:issue_id>/watchers/",
        watchers.AddWatcherApi.as_view(),
        name="issue-watchers",
    ),
    path(
        "issues/<str:issue_id>/watchers/<str:email>/",
        watchers.RemoveWatcherApi.as_view(),
        name="issue-watcher",
    ),
    path(
        "attachments/<str:attachment_id>/", attachments.AttachmentApi.as_view(), name="attachment"
    ),
    path("auth/token/", views.ObtainTokenApi.as_view(), name="token"),
    path("projections/", projections.ProjectionsApi.as_view(), name="projections"),
    path(
        "projections/<str:name>/rebuild/",
        projections.RebuildProjectionApi.as_view(),
        name="projection-rebuild",
    ),
    path("sla-policies/", sla_api.PoliciesApi.as_view(), name="sla-policies"),
    path("sla-policies/<int:policy_id>/", sla_api.PolicyApi.as_view(), name="sla-policy"),
    path("reports/<str:name>/", ReportApi.as_view(), name="report"),
    path("schema/", SchemaView.as_view(authentication_classes=[]), name="schema"),
    path(
        "docs/",
        # Split: the page loads its script from a URL, as the Content-Security-Policy requires.
        DocsView.as_view(
            url_name="api:schema",
            authentication_classes=[],
            template_name="api/swagger_ui.html",
        ),
        name="docs",
    ),
]
