from django.urls import path
from django.views.generic import RedirectView

from apps.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("targets/", views.target_list, name="target_list"),
    path("targets/<int:year>/<str:indicator>/", views.target_edit, name="target_edit"),
    # The funds-arrived list moved to 招商 (its data's app); old links and bookmarks follow it.
    path(
        "funds/",
        RedirectView.as_view(
            pattern_name="investment:funds_arrival_list", permanent=True, query_string=True
        ),
        name="funds_arrivals",
    ),
    path("briefings/", views.BriefingListView.as_view(), name="briefing_list"),
    path("briefings/new/", views.briefing_create, name="briefing_create"),
    path("briefings/<int:pk>/", views.briefing_detail, name="briefing_detail"),
    path("briefings/<int:pk>/edit/", views.briefing_edit, name="briefing_edit"),
    path("briefings/<int:pk>/print/", views.briefing_print, name="briefing_print"),
    path("briefings/<int:pk>/docx/", views.briefing_download, name="briefing_download"),
    path(
        "briefings/<int:pk>/<str:action>/",
        views.BriefingTransitionView.as_view(),
        name="briefing_transition",
    ),
]
