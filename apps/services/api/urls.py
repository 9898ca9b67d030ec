from django.urls import path

from apps.services.api import views

routes = [
    ("visits", views.VisitViewSet, "visit"),
    ("demands", views.DemandViewSet, "demand"),
    ("demand-categories", views.DemandCategoryViewSet, "demand-category"),
    ("financial-institutions", views.FinancialInstitutionViewSet, "financial-institution"),
    ("matchmaking-meetings", views.MeetingViewSet, "matchmaking-meeting"),
    ("financing-needs", views.FinancingNeedViewSet, "financing-need"),
    ("loan-intents", views.LoanIntentViewSet, "loan-intent"),
    ("policy-programmes", views.PolicyProgrammeViewSet, "policy-programme"),
    ("policy-applications", views.PolicyApplicationViewSet, "policy-application"),
]

urlpatterns = [
    path("loan-intents/totals/", views.LoanTotalsView.as_view(), name="loan-intent-totals"),
]
