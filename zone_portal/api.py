"""One router collects every app's API: each `apps/<app>/api/urls.py` lists its `routes`
(prefix, viewset, basename) and may add plain `urlpatterns` (statistics endpoints)."""

from django.http import JsonResponse
from django.urls import include, path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework.routers import DefaultRouter

from apps.core.registry import app_modules

router = DefaultRouter()
router.include_format_suffixes = False
extra_patterns = []
for _config, module in app_modules("api.urls"):
    for prefix, viewset, basename in getattr(module, "routes", []):
        router.register(prefix, viewset, basename=basename)
    extra_patterns.extend(getattr(module, "urlpatterns", []))


@csrf_exempt  # a DELETE to a wrong address is a 404, not the CSRF failure page
def not_found(request, rest=""):
    """An address under /api/ that names no endpoint (`/api/enterprises/0.5/`): answered in
    JSON like every other API refusal, not with the HTML 404 page."""
    return JsonResponse({"detail": _("接口地址不存在")}, status=404)


# The catch-all comes last and has no name: it is not an endpoint. It takes only addresses ending
# in a slash, so that APPEND_SLASH still redirects `/api/enterprises` to `/api/enterprises/`.
urlpatterns = [
    *extra_patterns,
    path("", include(router.urls)),
    re_path(r"^(?P<rest>(?:.*/)?)$", not_found),
]
