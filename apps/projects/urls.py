from django.urls import path

from apps.projects import views

app_name = "projects"

urlpatterns = [
    path("", views.LedgerView.as_view(), name="ledger"),
    path("new/", views.project_create, name="project_create"),
    path("<int:pk>/", views.project_detail, name="project_detail"),
    path("<int:pk>/edit/", views.project_update, name="project_update"),
    path("<int:pk>/plan/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/milestones/new/", views.milestone_edit, name="milestone_create"),
    path(
        "<int:pk>/milestones/<int:milestone_pk>/",
        views.milestone_edit,
        name="milestone_update",
    ),
    path("<int:pk>/approvals/new/", views.approval_edit, name="approval_create"),
    path("<int:pk>/approvals/<int:approval_pk>/", views.approval_edit, name="approval_update"),
    path("<int:pk>/reports/new/", views.report_create, name="report_create"),
    path(
        "<int:pk>/<str:action>/",
        views.ProjectTransitionView.as_view(),
        name="project_transition",
    ),
    path("reports/", views.ReportListView.as_view(), name="report_list"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views.report_update, name="report_update"),
    path(
        "reports/<int:pk>/<str:action>/",
        views.ReportTransitionView.as_view(),
        name="report_transition",
    ),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("photos/<int:pk>/thumbnail/", views.photo_thumbnail, name="photo_thumbnail"),
]
