"""Settings for Zone Portal.

Every value that differs between machines is read from the environment (or from a `.env` file
beside manage.py, which `make` creates from `.env.example` for development). See README.md,
"Configuration".
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

# A production process must never run on a guessable key: refuse to start instead.
_DEV_SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default="")
if not DEBUG and (
    len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure") or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        "SECRET_KEY is missing or insecure: set a random SECRET_KEY of at least 50 characters "
        "(or DEBUG=1 for development)."
    )
if not SECRET_KEY:
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Widget templates from TEMPLATES (FORM_RENDERER below), Django's own as the fallback.
    "django.forms",
    # OpClass in index expressions (the trigram indexes of apps.core.search).
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    # The project's apps, in dependency order (an app may import only those above it).
    "apps.core",
    "apps.accounts",
    "apps.enterprises",
    "apps.investment",
    "apps.projects",
    "apps.staff",
    "apps.services",
    "apps.dashboard",
]

MIDDLEWARE = [
    # First: it times the whole request and sees the final status, whatever answered it.
    "apps.core.requestlog.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's, writing the session when it changed or a minute after its last write (not on
    # every request): the idle timeout without a commit per page (apps/core/sessions.py).
    "apps.core.sessions.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "apps.core.replica.ReplicaRoutingMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "apps.core.middleware.PrivateNoStoreMiddleware",
    # Axes must come last: it turns lockout signals into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zone_portal.urls"
WSGI_APPLICATION = "zone_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.core.context_processors.portal",
            ],
        },
    },
]

# Widgets are rendered by the project's template engine, so that templates/django/forms/
# overrides Django's widget templates (a select's options inline: one template, not one per
# option); the inputs and the select are written in Python, as their templates write them
# (apps/core/renderers.py).
FORM_RENDERER = "apps.core.renderers.PortalRenderer"

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/zone_portal"),
}
# Services own their transactions (apps/*/services.py, @transaction.atomic): a request is not
# one transaction, so a page never holds a transaction open while it renders.
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Behind PgBouncer (transaction pooling) PgBouncer keeps the connections and server-side cursors
# cannot work; otherwise each worker keeps its one connection for a minute.
PGBOUNCER = env.bool("PGBOUNCER", default=False)
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if PGBOUNCER else 60)
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = PGBOUNCER
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A stopped database must answer /healthz with 503 quickly, never hang a worker.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
    "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=3)
)
# A read replica for the dashboard and report reads (apps/core/replica.py), when configured.
REPLICA_READ_PATHS = env.list(
    "REPLICA_READ_PATHS",
    default=[
        "/enterprises/statistics/",
        "/services/outcomes/",
        "/services/coverage/",
        "/services/visits/report/",
        "/api/enterprise-statistics/",
        "/api/loan-intents/totals/",
    ],
)
# How long after a user's write their reports still read the primary (replication lag bound).
REPLICA_LAG_SECONDS = env.int("REPLICA_LAG_SECONDS", default=30)
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=3)
    )
    # Tests use one database: the replica mirrors the primary.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["apps.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: the cache shared by every app server, and Celery's broker -------------------------
# Other applications may share the Redis server: every key this portal writes starts with
# REDIS_KEY_PREFIX (cache keys and Celery's queues alike), and nothing ever flushes a database.
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
REDIS_KEY_PREFIX = env.str("REDIS_KEY_PREFIX", default="zp")
if env.str("CACHE_URL", default=""):
    CACHES = {"default": env.cache("CACHE_URL")}
else:
    CACHES = {
        "default": {
            # Redis down: reads miss and writes are dropped, the pages still answer.
            "BACKEND": "apps.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": REDIS_KEY_PREFIX,
            "TIMEOUT": 300,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_BROKER_TRANSPORT_OPTIONS = {"global_keyprefix": f"{REDIS_KEY_PREFIX}:celery:"}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="zone-portal")
# Tasks write their outcome to the database and the log; nobody waits on a result.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULE = {
    # Every task is idempotent: a beat that fires twice, or a day run again, changes nothing.
    "staff-refresh-statuses": {
        "task": "staff.refresh_statuses",
        "schedule": crontab(hour=0, minute=5),
    },
    "staff-notify-contracts-ending": {
        "task": "staff.notify_contracts_ending",
        "schedule": crontab(hour=7, minute=0),
    },
    "services-remind-due-demands": {
        "task": "services.remind_due_demands",
        "schedule": crontab(hour=7, minute=10),
    },
    "services-notify-escalated-demands": {
        "task": "services.notify_escalated_demands",
        "schedule": crontab(hour=7, minute=5),
    },
    # The figures' cache keys carry the day: warm the new day's before the first reader.
    "dashboard-warm-figures": {
        "task": "dashboard.warm_figures",
        "schedule": crontab(hour=0, minute=1),
    },
    "core-forget-old-submissions": {
        "task": "core.forget_old_submissions",
        "schedule": crontab(hour=3, minute=0),
    },
    "projects-notify-reports-due": {
        "task": "projects.notify_reports_due",
        "schedule": crontab(hour=7, minute=10),
    },
    "investment-pool-return": {
        "task": "investment.pool_return",
        "schedule": crontab(hour=0, minute=20),
    },
    "investment-notify-deadlines": {
        "task": "investment.notify_deadlines",
        "schedule": crontab(hour=7, minute=10),
    },
    # After the morning's notifications, so that they are in the day's digest.
    "accounts-send-digests": {
        "task": "accounts.send_digests",
        "schedule": crontab(hour=7, minute=30),
    },
}

# --- Accounts and login -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend with each user's permissions cached across requests (invalidated on change).
    "apps.accounts.backends.CachedModelBackend",
]
PERMISSION_CACHE_SECONDS = 300
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "apps.accounts.validators.PortalMinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "apps.accounts.validators.PortalWordsValidator"},
    {
        "NAME": "apps.accounts.validators.CharacterVarietyValidator",
        "OPTIONS": {"min_distinct": 5},
    },
]
# API tokens (each user's own, at /accounts/tokens/) stop working this many days after creation.
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=30)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions end after 30 minutes without a request (29 to 30: the expiry is refreshed by the
# first request of each minute, apps.core.sessions.IdleSessionMiddleware; a tenth of a shorter
# idle time).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_TOUCH_SECONDS = max(1, min(60, SESSION_COOKIE_AGE // 10))
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Lock a username from one address after 5 failures for 30 minutes. Never per address alone:
# a whole office sits behind one address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_VERBOSE = False
# Behind N reverse proxies, the client address is the Nth from the right in X-Forwarded-For
# (the addresses left of it are the client's own and may be forged).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "apps.accounts.client_ip.client_ip"

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files: Bootstrap, ECharts and htmx come from node_modules (npm), never a CDN ----
STATIC_URL = "static/"
_NODE = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", _NODE / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", _NODE / "bootstrap-icons" / "font"),
    ("vendor/echarts", _NODE / "echarts" / "dist"),
    ("vendor/htmx", _NODE / "htmx.org" / "dist"),
]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Hashed, compressed file names (collectstatic) in production; a test server may go without.
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploaded files on an S3-compatible store (MinIO, OSS, COS...) shared by every app server,
# when S3_BUCKET is set; otherwise on MEDIA_ROOT (a shared mount with several servers).
if env.str("S3_BUCKET", default=""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("S3_BUCKET"),
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("S3_REGION", default="") or None,
            "access_key": env.str("S3_ACCESS_KEY", default="") or None,
            "secret_key": env.str("S3_SECRET_KEY", default="") or None,
            "location": env.str("S3_PREFIX", default="media"),
            # Files are private: links are signed and expire.
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 3600,
            "file_overwrite": False,
        },
    }
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"
# Excel imports are read in memory; bound them.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="zone-portal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Admin", a) for a in env.list("ADMIN_EMAILS", default=[])]

# --- Security (production) -----------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The load balancer polls /healthz over plain HTTP inside the intranet.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts, styles, fonts and images from the portal's own
# origin only (every library is served from static/, never a CDN), no inline script, nothing may
# frame the portal. Inline style attributes stay allowed: templates set a few (white-space,
# chart heights) and they cannot run code. Swagger UI's start-up script is a URL too
# (drf-spectacular's split view); Swagger and Bootstrap draw icons as data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first so that an anonymous call is answered 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "apps.core.permissions.ModelPermissionsWithView",
    ],
    "DEFAULT_PAGINATION_CLASS": "apps.core.api.BoundedPageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        # DjangoFilterBackend, without building the FilterSet when no filter is given.
        "apps.core.filters.LeanFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # One refusal rule and one error body for every endpoint (apps/core/errors.py).
    "EXCEPTION_HANDLER": "apps.core.errors.api_exception_handler",
    # Request bodies are JSON, as the schema says: a form body cannot carry null (an empty
    # form value reads as "not given"), so schema and API disagreed on every nullable field.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Zone Portal API",
    "DESCRIPTION": (
        "开发区管委会工作平台 API. Authenticate with a session or `Authorization: Token <key>`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    # Swagger UI 5.33 draws long lists only as they are scrolled to, so the browser's find
    # misses what is off screen: a filter box over the tags finds an operation instead.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "filter": True},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The refusals (400/401/403/404) every operation may answer, documented once.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "zone_portal.schema.document_refusals",
    ],
    "ENUM_NAME_OVERRIDES": {
        # Choice sets whose field names repeat across models need a name each.
        "DemandStatusEnum": "apps.services.api.schema.DEMAND_STATUS",
        "DemandSourceEnum": "apps.services.api.schema.DEMAND_SOURCE",
        "LoanIntentStatusEnum": "apps.services.api.schema.LOAN_INTENT_STATUS",
        "PolicyApplicationStatusEnum": "apps.services.api.schema.POLICY_APPLICATION_STATUS",
        "EnterpriseStatusEnum": "apps.enterprises.models.Enterprise.Status",
        "ChainRoleEnum": "apps.investment.models.ChainRole",
        "BriefingStatusEnum": "apps.dashboard.models.Briefing.Status",
    },
}

# --- Logging: to stderr, which gunicorn/systemd collect ---------------------------------------
# One line per record: time, level, logger, request id, message; every request is one line from
# zone_portal.request (method, path, status, duration, user). Errors also go to ADMINS by mail.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "apps.core.requestlog.RequestIdFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "line": {
            "format": "%(asctime)s %(levelname)s %(name)s request_id=%(request_id)s %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "line",
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # The request log line replaces Django's own "Not Found"/"Internal Server Error" lines.
        "django.request": {"handlers": ["mail_admins"], "level": "ERROR", "propagate": True},
        "django.server": {"level": "WARNING"},
        "zone_portal.tasks": {"handlers": ["console", "mail_admins"], "propagate": False},
    },
}

# --- Portal ---------------------------------------------------------------------------------
PORTAL_NAME = _("开发区管委会工作平台")
# Enterprise service: when an overdue demand is escalated to the leadership, the weekly visit
# target per 企业服务 officer, and after how many days without a visit an enterprise is listed.
SERVICES_ESCALATE_AFTER_DAYS = env.int("SERVICES_ESCALATE_AFTER_DAYS", default=7)
# A demand's handler is reminded when its deadline is this many days away or nearer.
SERVICES_REMIND_DAYS_BEFORE = env.int("SERVICES_REMIND_DAYS_BEFORE", default=3)
# A list export above this many rows runs as a background job (apps/core/jobs.py).
EXPORT_BACKGROUND_THRESHOLD = env.int("EXPORT_BACKGROUND_THRESHOLD", default=5000)
SERVICES_WEEKLY_VISIT_TARGET = env.int("SERVICES_WEEKLY_VISIT_TARGET", default=2)
SERVICES_NOT_VISITED_DAYS = env.int("SERVICES_NOT_VISITED_DAYS", default=90)
# 项目台账: the day of the next month by which a monthly report is due, the red/amber/green
# thresholds (README, "项目台账"), the photo upload limit and the 前期手续 a project may need.
PROJECTS_REPORT_DUE_DAY = env.int("PROJECTS_REPORT_DUE_DAY", default=5)
PROJECTS_RAG = {
    # Investment: percentage points behind 序时 from which the colour is amber / red.
    "investment_amber_points": 10,
    "investment_red_points": 30,
    # Start: months late (after the planned month) from which a project not started is red.
    "start_red_months": 3,
    # Registration (入库纳统): months after the start without it, amber / red.
    "registration_amber_months": 1,
    "registration_red_months": 2,
    # Milestones: days late up to which an open milestone is amber (red beyond).
    "milestone_amber_days": 7,
}
PROJECTS_PHOTO_MAX_BYTES = env.int("PROJECTS_PHOTO_MAX_BYTES", default=8 * 1024 * 1024)
PROJECTS_APPROVAL_KINDS = [
    ("filing", _("立项/核准/备案")),
    ("land_preview", _("用地预审与选址")),
    ("land_planning", _("用地规划许可")),
    ("works_planning", _("工程规划许可")),
    ("construction_permit", _("施工许可")),
    ("environment", _("环评")),
    ("energy", _("能评")),
]
# The address users reach the portal at, for links in e-mails (digest).
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
