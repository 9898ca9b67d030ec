from django.urls import path

from apps.staff import views

app_name = "staff"

urlpatterns = [
    path("", views.org_chart, name="org_chart"),
    path("positions/", views.PositionListView.as_view(), name="position_list"),
    path("members/", views.StaffMemberListView.as_view(), name="member_list"),
    path("members/new/", views.member_create, name="member_create"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", views.member_update, name="member_update"),
    path("appointments/", views.AppointmentListView.as_view(), name="appointment_list"),
    path("appointments/new/", views.appointment_create, name="appointment_create"),
    path("appointments/<int:pk>/", views.AppointmentPages.as_view(), name="appointment_detail"),
    path(
        "appointments/<int:pk>/<str:action>/",
        views.AppointmentPages.as_view(),
        name="appointment_transition",
    ),
    path("appraisals/", views.AppraisalListView.as_view(), name="appraisal_list"),
    path("appraisals/new/", views.appraisal_create, name="appraisal_create"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/compute/", views.round_compute, name="round_compute"),
    path("rounds/<int:pk>/confirm/", views.round_confirm, name="round_confirm"),
    path("candidates/<int:pk>/scores/", views.candidate_scores, name="candidate_scores"),
    path("my-selection/", views.my_selection, name="my_selection"),
    path("pay/", views.PaySheetListView.as_view(), name="pay_sheet_list"),
    path("pay/<int:pk>/", views.PaySheetDetailView.as_view(), name="pay_sheet_detail"),
    path("pay/generate/", views.pay_sheet_generate, name="pay_sheet_generate"),
    path("pay/grades/", views.salary_grades, name="salary_grades"),
    path("audit/", views.audit, name="audit"),
]
