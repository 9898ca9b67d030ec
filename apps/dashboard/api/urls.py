from django.urls import path

from apps.dashboard.api.views import DashboardView, FundsArrivalViewSet

routes = [("dashboard/funds-arrivals", FundsArrivalViewSet, "dashboard-funds-arrival")]

urlpatterns = [
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
]
