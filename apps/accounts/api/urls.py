from apps.accounts.api.views import ApiTokenViewSet, DepartmentViewSet, UserViewSet

routes = [
    ("departments", DepartmentViewSet, "department"),
    ("users", UserViewSet, "user"),
    ("tokens", ApiTokenViewSet, "api-token"),
]
