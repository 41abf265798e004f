from django.contrib import admin
from django.urls import include, path

from issues_adapters.accounts.views import LoginView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include("issues_adapters.api.urls")),
    path("staff/deliveries/", include("issues_adapters.eventing.urls")),
    path("", include("issues_adapters.web.urls")),
]
