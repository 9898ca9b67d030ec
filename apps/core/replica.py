"""Reads of the dashboard and report kind from a read replica, when DATABASE_REPLICA_URL is set.

- Writes always go to the primary ("default").
- Only requests whose path starts with one of REPLICA_READ_PATHS (statistics, reports) read from
  the replica; every other page reads the primary, so forms and workflows never see lag.
- Read-your-writes: a request that writes (any method but GET/HEAD/OPTIONS) marks the user's
  browser with a cookie for REPLICA_LAG_SECONDS; while it is there, that user's reports read
  the primary too, so they see what they just saved even if the replica is behind.
- Sessions, accounts, tokens and the login log always read the primary: a session written a
  moment ago must be found.
Without DATABASE_REPLICA_URL this module is not installed and everything uses "default".
"""

import time
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
WROTE_COOKIE = "zp_wrote"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
PRIMARY_ONLY_APPS = {"sessions", "auth", "accounts", "authtoken", "axes", "contenttypes"}

_read_from_replica: ContextVar[bool] = ContextVar("read_from_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not _read_from_replica.get() or model._meta.app_label in PRIMARY_ONLY_APPS:
            return "default"
        return REPLICA if replica_configured() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def reads_report_path(path: str) -> bool:
    return any(path.startswith(prefix) for prefix in settings.REPLICA_READ_PATHS)


class ReplicaRoutingMiddleware:
    """Decides per request whether its reads may go to the replica (see the module's rules)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        writes = request.method not in SAFE_METHODS
        wrote_at = request.COOKIES.get(WROTE_COOKIE, "")
        recently_wrote = wrote_at.isdigit() and (
            time.time() - int(wrote_at) < settings.REPLICA_LAG_SECONDS
        )
        token = _read_from_replica.set(
            not writes and not recently_wrote and reads_report_path(request.path)
        )
        try:
            response = self.get_response(request)
        finally:
            _read_from_replica.reset(token)
        if writes:
            response.set_cookie(
                WROTE_COOKIE,
                str(int(time.time())),
                max_age=settings.REPLICA_LAG_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
