"""The 500 handler: a lost database connection is a 503 with Retry-After, not a 500.

While PostgreSQL restarts every request fails to connect (or finds its connection broken); the
user is told to wait a moment, the API client gets JSON, and the next request after the
database returns reconnects (CONN_HEALTH_CHECKS) with no restart of the app. The pages render
without the request context: loading the user would need the database.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

logger = logging.getLogger("zone_portal.outage")

RETRY_AFTER_SECONDS = 10


def database_unavailable(exception: BaseException | None) -> bool:
    return isinstance(exception, OperationalError | InterfaceError)


def server_error(request, *args, **kwargs):
    exception = sys.exc_info()[1]
    request_id = getattr(request, "request_id", "")
    if database_unavailable(exception):
        logger.warning("database unavailable: %s", str(exception).strip().splitlines()[:1])
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {"detail": _("数据库暂时不可用，请稍后重试。"), "request_id": request_id},
                status=503,
            )
        else:
            response = HttpResponse(
                loader.render_to_string("503.html", {"request_id": request_id}), status=503
            )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("服务器内部错误。"), "request_id": request_id}, status=500)
    return HttpResponse(loader.render_to_string("500.html", {"request_id": request_id}), status=500)
