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
