from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from apps.accounts.forms import AdminLoginForm
from apps.core.health import healthz

admin.site.site_header = "开发区管委会工作平台 · 管理后台"
admin.site.site_title = "开发区管委会工作平台"
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script from a URL, not inline (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/", include(("zone_portal.api", "api"), namespace="api")),
    path("enterprises/", include("apps.enterprises.urls")),
    path("services/", include("apps.services.urls")),
    path("investment/", include("apps.investment.urls")),
    path("projects/", include("apps.projects.urls")),
    path("staff/", include("apps.staff.urls")),
    path("dashboard/", include("apps.dashboard.urls")),
    path("jobs/", include("apps.core.urls")),
    path("", include("apps.accounts.urls")),
]

# A lost database connection answers 503 with Retry-After; any other error 500 with a request id.
handler500 = "apps.core.error_pages.server_error"
