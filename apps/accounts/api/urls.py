from apps.accounts.api.views import DepartmentViewSet, NotificationViewSet, UserViewSet

routes = [
    ("departments", DepartmentViewSet, "department"),
    ("users", UserViewSet, "user"),
    ("notifications", NotificationViewSet, "notification"),
]
