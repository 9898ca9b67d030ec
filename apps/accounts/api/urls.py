from apps.accounts.api.views import (
    ApiTokenViewSet,
    DepartmentViewSet,
    NotificationViewSet,
    UserViewSet,
)

routes = [
    ("departments", DepartmentViewSet, "department"),
    ("users", UserViewSet, "user"),
    ("tokens", ApiTokenViewSet, "api-token"),
    ("notifications", NotificationViewSet, "notification"),
]
