from django.urls import path

from issues_adapters.eventing import views

app_name = "eventing"
urlpatterns = [
    path("", views.parked_deliveries, name="parked_deliveries"),
    path("retry/", views.retry_all, name="retry_all"),
    path("<int:delivery_id>/retry/", views.retry_delivery, name="retry_delivery"),
]
