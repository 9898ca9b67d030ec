from apps.accounts.api.views import DepartmentViewSet, UserViewSet

routes = [
    ("departments", DepartmentViewSet, "department"),
    ("users", UserViewSet, "user"),
]
