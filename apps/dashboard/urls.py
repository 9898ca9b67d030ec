from django.urls import path

from apps.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("funds/", views.FundsArrivalListView.as_view(), name="funds_arrivals"),
]
