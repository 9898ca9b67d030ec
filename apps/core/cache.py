"""A Redis cache that degrades instead of failing: with Redis stopped, every read is a miss and
every write is dropped, so pages are computed from the database and still answer."""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger("zone_portal.cache")

# After a failure, skip Redis for this many seconds rather than wait on its timeout each call.
BACKOFF_SECONDS = 5.0


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis client, one ``redis.Redis`` per connection pool instead of one per call.

    Django builds a new ``redis.Redis`` for every cache call, and its constructor fills a
    table of some 170 response callbacks: 0.1 ms of a call that Redis answers in about as
    much. ``redis.Redis`` is safe to share between threads (each command takes a connection
    from the pool and gives it back), so one per pool serves every call."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    _down_until = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    def _guard(self, method: str, default, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return default
        try:
            return getattr(super(), method)(*args, **kwargs)
        except (RedisError, OSError) as error:
            self._down_until = time.monotonic() + BACKOFF_SECONDS
            logger.warning("cache unavailable (%s: %s); serving without it", method, error)
            return default

    def get(self, key, default=None, version=None):
        return self._guard("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._guard("get_many", {}, keys, version)

    def set(self, key, value, timeout=None, version=None):
        self._guard("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=None, version=None):
        return self._guard("add", False, key, value, timeout, version)

    def set_many(self, data, timeout=None, version=None):
        return self._guard("set_many", list(data), data, timeout, version)

    def delete(self, key, version=None):
        return self._guard("delete", False, key, version)

    def delete_many(self, keys, version=None):
        self._guard("delete_many", None, keys, version)

    def touch(self, key, timeout=None, version=None):
        return self._guard("touch", False, key, timeout, version)

    def has_key(self, key, version=None):
        return self._guard("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        # Callers of incr expect ValueError for a missing key; a dead Redis looks the same.
        result = self._guard("incr", None, key, delta, version)
        if result is None:
            raise ValueError(f"Key '{key}' not found (cache unavailable)")
        return result

    def ping(self) -> bool:
        """For /healthz: does Redis answer now?"""
        try:
            return bool(self._cache.get_client().ping())
        except (RedisError, OSError):
            return False

    def clear(self):
        # Django's RedisCache.clear() runs FLUSHDB, which would empty every other application's
        # keys on a shared Redis: delete only this portal's keys.
        def _delete_ours():
            client = self._cache.get_client(write=True)
            # Cache keys are "<prefix>:<version>:<key>"; Celery's are "<prefix>:celery:...".
            pattern = f"{self.key_prefix}:[0-9]*"
            for key in client.scan_iter(match=pattern, count=500):
                client.delete(key)

        try:
            _delete_ours()
        except (RedisError, OSError) as error:
            logger.warning("cache unavailable (clear: %s)", error)
