from django.urls import path

from apps.services import views

app_name = "services"

urlpatterns = [
    path("", views.demand_inbox, name="inbox"),
    path("demands/", views.DemandListView.as_view(), name="demand_list"),
    path("demands/mine/", views.MyDemandsView.as_view(), name="demand_mine"),
    path("demands/new/", views.demand_create, name="demand_create"),
    path("demands/<int:pk>/", views.demand_detail, name="demand_detail"),
    path(
        "demands/<int:pk>/<str:action>/",
        views.DemandTransitionView.as_view(),
        name="demand_transition",
    ),
    path("outcomes/", views.outcomes, name="outcomes"),
    path("visits/", views.VisitListView.as_view(), name="visit_list"),
    path("visits/new/", views.visit_create, name="visit_create"),
    path("visits/report/", views.visit_report, name="visit_report"),
    path("visits/coverage/", views.coverage, name="coverage"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/edit/", views.visit_update, name="visit_update"),
    path("loans/", views.LoanIntentListView.as_view(), name="loan_list"),
    path("loans/new/", views.loan_create, name="loan_create"),
    path("loans/<int:pk>/", views.LoanPages.as_view(), name="loan_detail"),
    path("loans/<int:pk>/<str:action>/", views.LoanPages.as_view(), name="loan_transition"),
    path("financing-needs/", views.FinancingNeedListView.as_view(), name="need_list"),
    path("financing-needs/new/", views.need_create, name="need_create"),
    path("meetings/", views.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("applications/", views.ApplicationListView.as_view(), name="application_list"),
    path("applications/new/", views.application_create, name="application_create"),
    path("applications/<int:pk>/", views.ApplicationPages.as_view(), name="application_detail"),
    path(
        "applications/<int:pk>/<str:action>/",
        views.ApplicationPages.as_view(),
        name="application_transition",
    ),
]
