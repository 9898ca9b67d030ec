from django.urls import path

from apps.investment import views

app_name = "investment"

urlpatterns = [
    path("investors/", views.InvestorListView.as_view(), name="investor_list"),
    path("investors/new/", views.investor_create, name="investor_create"),
    path("investors/<int:pk>/", views.investor_detail, name="investor_detail"),
    path("leads/", views.LeadListView.as_view(), name="lead_list"),
    path("leads/pool/", views.PoolView.as_view(), name="pool"),
    path("leads/new/", views.lead_create, name="lead_create"),
    path("leads/<int:pk>/", views.lead_detail, name="lead_detail"),
    path("leads/<int:pk>/claim/", views.lead_claim, name="lead_claim"),
    path("leads/<int:pk>/judge/", views.lead_judge, name="lead_judge"),
    path("leads/<int:pk>/assign/", views.lead_assign, name="lead_assign"),
    path("leads/<int:pk>/merge/", views.lead_merge, name="lead_merge"),
    path("leads/<int:pk>/follow-up/", views.lead_follow_up, name="lead_follow_up"),
    path("leads/<int:pk>/project/", views.lead_to_project, name="lead_to_project"),
    path("projects/", views.ProjectListView.as_view(), name="project_list"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/review/", views.project_review, name="project_review"),
    path("projects/<int:pk>/funds/", views.project_funds, name="project_funds"),
    path(
        "projects/<int:pk>/<str:action>/",
        views.ProjectTransitionView.as_view(),
        name="project_transition",
    ),
    path("activities/", views.ActivityListView.as_view(), name="activity_list"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("indicators/", views.indicators, name="indicators"),
]
