"""gunicorn, as `make run` and a production server start it (`gunicorn -c gunicorn.conf.py`).

One synchronous worker holds at most one PostgreSQL connection (threads = 1, CONN_MAX_AGE keeps
it open between requests), so an app server holds at most `workers` connections: see README,
"Database connections".
"""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# The usual 2 x CPUs + 1, bounded so that several app servers stay under max_connections.
workers = int(
    os.environ.get(
        "WEB_CONCURRENCY",
        min(multiprocessing.cpu_count() * 2 + 1, int(os.environ.get("WEB_MAX_WORKERS", "9"))),
    )
)
threads = 1
worker_class = "sync"
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = 20
# Recycle workers now and then so that a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
# The portal logs one line per request itself (apps.core.middleware.RequestLogMiddleware).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# X-Forwarded-* are trusted from the reverse proxy only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "zone-portal"
