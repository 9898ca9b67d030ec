"""One router collects every app's API: each `apps/<app>/api/urls.py` lists its `routes`
(prefix, viewset, basename) and may add plain `urlpatterns` (statistics endpoints)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from apps.core.registry import app_modules

router = DefaultRouter()
router.include_format_suffixes = False
extra_patterns = []
for _config, module in app_modules("api.urls"):
    for prefix, viewset, basename in getattr(module, "routes", []):
        router.register(prefix, viewset, basename=basename)
    extra_patterns.extend(getattr(module, "urlpatterns", []))

urlpatterns = [*extra_patterns, path("", include(router.urls))]
