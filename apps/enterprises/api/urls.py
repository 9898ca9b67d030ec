from django.urls import path

from apps.enterprises.api.views import (
    EnterpriseViewSet,
    MembershipViewSet,
    MonthlyStatisticViewSet,
    QualificationViewSet,
    StatisticsView,
)

routes = [
    ("enterprises", EnterpriseViewSet, "enterprise"),
    ("qualifications", QualificationViewSet, "qualification"),
    ("memberships", MembershipViewSet, "membership"),
    ("monthly-statistics", MonthlyStatisticViewSet, "monthly-statistic"),
]

urlpatterns = [
    path("enterprise-statistics/", StatisticsView.as_view(), name="enterprise-statistics"),
]
