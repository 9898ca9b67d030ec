"""`/healthz` for the load balancer and the administrator."""

from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        # Drop the broken connection so the next poll reconnects instead of reusing it.
        connection.close_if_unusable_or_obsolete()
        return False
    return True


def _cache_ok() -> bool:
    ping = getattr(cache, "ping", None)
    return ping() if ping else True


@never_cache
@require_GET
@transaction.non_atomic_requests
def healthz(request):
    """200 when the database answers (the portal works, with or without its cache), 503 when
    it does not; the body says which of the database and the cache (Redis) answer."""
    database = _database_ok()
    body = {
        "status": "ok" if database else "unavailable",
        "database": "ok" if database else "unavailable",
        "cache": "ok" if _cache_ok() else "unavailable",
    }
    return JsonResponse(body, status=200 if database else 503)
