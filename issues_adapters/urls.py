from django.contrib import admin
from django.urls import include, path

from issues_adapters.accounts.views import LoginView, PasswordResetView
from issues_adapters.eventing import views as eventing_views
from issues_adapters.http.health import health
from issues_adapters.sla import views as sla_views

handler400 = "issues_adapters.http.error_pages.bad_request"
handler403 = "issues_adapters.http.error_pages.permission_denied"
handler404 = "issues_adapters.http.error_pages.page_not_found"
handler500 = "issues_adapters.http.error_pages.server_error"

urlpatterns = [
    path("health/", health, name="health"),
    path("admin/", admin.site.urls),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include("issues_adapters.api.urls")),
    path("staff/deliveries/", include("issues_adapters.eventing.urls")),
    path("staff/projections/", eventing_views.projections, name="projections"),
    path(
        "staff/projections/<str:name>/rebuild/", eventing_views.rebuild, name="rebuild_projection"
    ),
    path("staff/sla/", sla_views.policies, name="sla_policies"),
    path("", include("issues_adapters.attachments.urls")),
    path("", include("issues_adapters.web.urls")),
]
