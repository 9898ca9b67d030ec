from apps.staff.api import views

routes = [
    ("staff/positions", views.PositionViewSet, "staff-position"),
    ("staff/members", views.StaffMemberViewSet, "staff-member"),
    ("staff/appointments", views.AppointmentViewSet, "staff-appointment"),
    ("staff/appraisals", views.AppraisalViewSet, "staff-appraisal"),
    ("staff/salary-grades", views.SalaryGradeViewSet, "staff-salary-grade"),
    ("staff/pay-sheets", views.PaySheetViewSet, "staff-pay-sheet"),
    ("staff/pay-lines", views.PayLineViewSet, "staff-pay-line"),
]
