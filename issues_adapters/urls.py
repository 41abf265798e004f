from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include("issues_adapters.api.urls")),
    path("staff/deliveries/", include("issues_adapters.eventing.urls")),
    path("", include("issues_adapters.web.urls")),
]
