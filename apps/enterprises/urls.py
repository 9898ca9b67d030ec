from django.urls import path

from apps.enterprises import views

app_name = "enterprises"

urlpatterns = [
    path("", views.EnterpriseListView.as_view(), name="enterprise_list"),
    path("new/", views.enterprise_create, name="enterprise_create"),
    path("names/", views.enterprise_names, name="names"),
    path("<int:pk>/", views.EnterpriseDetailView.as_view(), name="enterprise_detail"),
    path("<int:pk>/edit/", views.enterprise_update, name="enterprise_update"),
    path("<int:pk>/qualifications/new/", views.qualification_edit, name="qualification_create"),
    path(
        "<int:pk>/qualifications/<int:qualification_pk>/",
        views.qualification_edit,
        name="qualification_update",
    ),
    path("<int:pk>/memberships/new/", views.membership_edit, name="membership_create"),
    path(
        "<int:pk>/memberships/<int:membership_pk>/",
        views.membership_edit,
        name="membership_update",
    ),
    path("qualifications/", views.QualificationListView.as_view(), name="qualification_list"),
    path("chains/", views.ChainListView.as_view(), name="chain_list"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/export/", views.statistics_export, name="statistics_export"),
    path("statistics/import/", views.statistics_import, name="statistics_import"),
]
