from django.urls import path

from apps.dashboard.api.views import BriefingViewSet, DashboardView, TargetViewSet

routes = [
    ("dashboard/briefings", BriefingViewSet, "dashboard-briefing"),
    ("dashboard/targets", TargetViewSet, "dashboard-target"),
]

urlpatterns = [
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
]
