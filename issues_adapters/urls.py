from django.contrib import admin
from django.urls import include, path

from issues_adapters.eventing import views as eventing_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include("issues_adapters.api.urls")),
    path("staff/deliveries/", include("issues_adapters.eventing.urls")),
    path("staff/projections/", eventing_views.projections, name="projections"),
    path(
        "staff/projections/<str:name>/rebuild/", eventing_views.rebuild, name="rebuild_projection"
    ),
    path("", include("issues_adapters.web.urls")),
]
