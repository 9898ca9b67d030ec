from django.urls import path

from apps.dashboard.api.views import (
    BriefingViewSet,
    DashboardView,
    FundsArrivalViewSet,
    TargetViewSet,
)

routes = [
    ("dashboard/funds-arrivals", FundsArrivalViewSet, "dashboard-funds-arrival"),
    ("dashboard/briefings", BriefingViewSet, "dashboard-briefing"),
    ("dashboard/targets", TargetViewSet, "dashboard-target"),
]

urlpatterns = [
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
]
