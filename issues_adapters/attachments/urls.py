from django.urls import path

from issues_adapters.attachments import views

urlpatterns = [
    path(
        "staff/attachments/<uuid:attachment_id>/",
        views.staff_attachment,
        name="staff_attachment",
    ),
    path(
        "staff/attachments/<uuid:attachment_id>/thumbnail/",
        views.staff_thumbnail,
        name="staff_attachment_thumbnail",
    ),
    path(
        "track/<str:token>/attachments/<uuid:attachment_id>/",
        views.reporter_attachment,
        name="track_attachment",
    ),
    path(
        "track/<str:token>/attachments/<uuid:attachment_id>/thumbnail/",
        views.reporter_thumbnail,
        name="track_attachment_thumbnail",
    ),
]
