"""One log line per request, and a request id on every line logged while it is served.

The id comes from the reverse proxy's `X-Request-ID` when it sends a sane one, else it is made
here; it is returned in the `X-Request-ID` header and shown on the 500 page, so that a user can
quote it and the administrator can find the request's lines.
"""

import logging
import re
import time
import uuid
from contextvars import ContextVar

from django.utils.functional import empty

logger = logging.getLogger("zone_portal.request")

current_request_id: ContextVar[str] = ContextVar("request_id", default="-")

_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (`-` outside a request: workers, commands)."""

    def filter(self, record):
        record.request_id = current_request_id.get()
        return True


def _user_label(request) -> str:
    user = getattr(request, "user", None)
    # Never load the user only to log it: with the database down that would fail again.
    if user is None or getattr(user, "_wrapped", None) is empty:
        return "-"
    return user.get_username() if user.is_authenticated else "anonymous"


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get("X-Request-ID", "")
        request_id = offered if _SANE_ID.match(offered) else uuid.uuid4().hex[:16]
        request.request_id = request_id
        token = current_request_id.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            duration_ms = (time.monotonic() - started) * 1000
            level = logging.ERROR if response.status_code >= 500 else logging.INFO
            logger.log(
                level,
                "method=%s path=%s status=%s duration_ms=%.0f user=%s",
                request.method,
                request.path,
                response.status_code,
                duration_ms,
                _user_label(request),
                extra={
                    "status_code": response.status_code,
                    "duration_ms": round(duration_ms),
                    "user": _user_label(request),
                },
            )
            return response
        finally:
            current_request_id.reset(token)
