from django.urls import path

from apps.investment import report_views, views

app_name = "investment"

urlpatterns = [
    path("investors/", views.InvestorListView.as_view(), name="investor_list"),
    path("investors/new/", views.investor_create, name="investor_create"),
    path("investors/<int:pk>/", views.investor_detail, name="investor_detail"),
    path("leads/", views.LeadListView.as_view(), name="lead_list"),
    path("leads/pool/", views.PoolView.as_view(), name="pool"),
    path("leads/ledger/", report_views.lead_ledger, name="lead_ledger"),
    path("leads/new/", views.lead_create, name="lead_create"),
    path("leads/<int:pk>/", views.lead_detail, name="lead_detail"),
    path("leads/<int:pk>/claim/", views.lead_claim, name="lead_claim"),
    path("leads/<int:pk>/judge/", views.lead_judge, name="lead_judge"),
    path("leads/<int:pk>/assign/", views.lead_assign, name="lead_assign"),
    path("leads/<int:pk>/merge/", views.lead_merge, name="lead_merge"),
    path("leads/<int:pk>/follow-up/", views.lead_follow_up, name="lead_follow_up"),
    path("leads/<int:pk>/project/", views.lead_to_project, name="lead_to_project"),
    path("projects/", views.ProjectListView.as_view(), name="project_list"),
    path("projects/ledger/", report_views.ledger, name="ledger"),
    path("projects/board/", report_views.project_board, name="board"),
    path("projects/forecast/", report_views.forecast, name="forecast"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/review/", views.project_review, name="project_review"),
    path("projects/<int:pk>/funds/", views.project_funds, name="project_funds"),
    path("projects/<int:pk>/expect/", views.project_expect, name="project_expect"),
    path("projects/<int:pk>/move-to/<str:stage>/", views.project_move_to, name="project_move_to"),
    path(
        "projects/<int:pk>/move/<str:action>/",
        views.ProjectMoveView.as_view(),
        name="project_move",
    ),
    path(
        "projects/<int:pk>/<str:action>/",
        views.ProjectTransitionView.as_view(),
        name="project_transition",
    ),
    path("funds/", views.FundsArrivalListView.as_view(), name="funds_arrival_list"),
    path("activities/", views.ActivityListView.as_view(), name="activity_list"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("indicators/", views.indicators, name="indicators"),
    path(
        "resident-reports/",
        report_views.ResidentReportListView.as_view(),
        name="resident_report_list",
    ),
    path(
        "resident-reports/new/",
        report_views.resident_report_create,
        name="resident_report_create",
    ),
    path(
        "resident-reports/<int:pk>/",
        report_views.resident_report_detail,
        name="resident_report_detail",
    ),
    path(
        "resident-reports/<int:pk>/<str:action>/",
        report_views.ResidentReportTransitionView.as_view(),
        name="resident_report_transition",
    ),
    path("targets/", report_views.AnnualTargetListView.as_view(), name="target_list"),
    path("ranking/", report_views.ranking, name="ranking"),
    path("bulletin/", report_views.bulletin, name="bulletin"),
    path("chains/", report_views.chain_map, name="chain_map"),
    path("chains/targets/", report_views.ChainTargetListView.as_view(), name="chain_target_list"),
    path("chains/targets/new/", report_views.chain_target_create, name="chain_target_create"),
]
