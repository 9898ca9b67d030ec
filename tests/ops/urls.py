"""A URL configuration for the failure tests: views that fail as a lost database does."""

from django.db import OperationalError
from django.urls import include, path


def database_gone(request):
    raise OperationalError("server closed the connection unexpectedly")


def bug(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("lost-database/", database_gone),
    path("api/lost-database/", database_gone),
    path("bug/", bug),
    path("", include("zone_portal.urls")),
]

handler500 = "apps.core.error_pages.server_error"


def which_database(request):
    from django.http import JsonResponse

    from apps.accounts.models import User
    from apps.core.replica import ReplicaRouter
    from apps.enterprises.models import Enterprise

    router = ReplicaRouter()
    if request.method == "POST":
        return JsonResponse({"saved": True})
    return JsonResponse(
        {"enterprise": router.db_for_read(Enterprise), "user": router.db_for_read(User)}
    )


urlpatterns.insert(0, path("report/which-database/", which_database))
urlpatterns.insert(0, path("form/which-database/", which_database))
