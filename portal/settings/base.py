"""Settings of the portal, read from the environment (see DESIGN §4 and the README).

Unset variables mean the embedded default: a SQLite file, an in-memory channel layer, a
Celery broker kept in files, and the embedded search backend. Setting ``DATABASE_URL``,
``REDIS_URL``, ``CELERY_BROKER_URL`` or ``ELASTICSEARCH_URL`` switches that concern to the real
service.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

from .parsers import env_bool, env_int, env_list, env_str, env_time_range, env_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Runtime files of the embedded mode (database, broker folders, uploads) live here.
VAR_DIR = Path(env_str("PORTAL_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
# Demo mode is what `make run` uses: a demo city on one machine, with a generated secret.
DEMO = env_bool("PORTAL_DEMO", False)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        if len(key) < 32:
            raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long.")
        return key
    if not (DEBUG or DEMO):
        raise ImproperlyConfigured(
            "SECRET_KEY is required outside demo or debug mode "
            "(set SECRET_KEY or SECRET_KEY_FILE, or PORTAL_DEMO=1 for a demo)."
        )
    # Demo and debug: a random key kept beside the demo database, never in the repository.
    key_file = VAR_DIR / "demo-secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    "portal",
    "agencies",
    "issues",
    "search",
    "notifications",
    "demo",
    "frontend",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "guardian",
    "axes",
    "channels",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First, so that every response and every log line of the request carries its id.
    "common.request_ids.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so that it sees the outcome of authentication attempts (django-axes' rule).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
ASGI_APPLICATION = "portal.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "frontend" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "agencies.context_processors.acting_agency",
            ],
        },
    }
]

# --- database -------------------------------------------------------------------------------
DATABASE_URL = env_url("DATABASE_URL", schemes=("postgres", "postgresql", "sqlite"))
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "portal.sqlite3",
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # daphne, the Celery worker and beat share one file: WAL lets readers run beside a writer,
    # IMMEDIATE transactions take the write lock up front instead of failing halfway.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # A file, not memory, so a real daphne process started by a test sees the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- live updates (Channels) ---------------------------------------------------------------
REDIS_URL = env_url("REDIS_URL", schemes=("redis", "rediss", "unix"))
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        # Longer than channels-redis's 5 s blocking read (BZPOPMIN): with redis-py's
                        # default of 5 s a quiet process times out inside a consumer and drops its
                        # sockets (bench/RESULTS.md, live updates).
                        "socket_timeout": 15,
                        # redis-py caps a pool at 100; hundreds of sockets closing at once need
                        # more for their group_discard calls, or their memberships stay behind.
                        "max_connections": 1000,
                    }
                ],
                "prefix": "portal",
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- background work (Celery) --------------------------------------------------------------
CELERY_BROKER_URL = env_url(
    "CELERY_BROKER_URL", schemes=("redis", "rediss", "filesystem", "amqp")
) or REDIS_URL
CELERY_BROKER_FOLDER = VAR_DIR / "celery-broker"
if not CELERY_BROKER_URL:
    # The kombu filesystem transport needs no server: the worker, beat and daphne exchange
    # messages through files in one folder. It needs no host either; naming one spares a warning
    # ("No hostname was supplied") in every process at every start.
    CELERY_BROKER_URL = "filesystem://localhost/"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER),
        "data_folder_out": str(CELERY_BROKER_FOLDER),
        "processed_folder": str(CELERY_BROKER_FOLDER / "processed"),
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
        "store_processed": False,
    }
    for _folder in ("", "processed", "control"):
        (CELERY_BROKER_FOLDER / _folder).mkdir(parents=True, exist_ok=True)
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {}
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# JSON only, never pickle: a message in the broker cannot carry code to run, which is what makes
# a worker running as root (CI machines, containers) acceptable (portal/serve.py says so).
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "portal.tasks.heartbeat", "schedule": 60.0},
    # The deadline reminder ladder (issues.deadlines.reminders); each step fires once however often.
    "reminder-sweep": {"task": "notifications.tasks.sweep_reminders", "schedule": 600.0},
    # Notifications held outside working hours go out once working hours start again.
    "reminder-digest": {"task": "notifications.tasks.deliver_digests", "schedule": 300.0},
    # Live updates whose on-commit relay did not run (a process died): sent within a minute.
    "live-relay": {"task": "notifications.tasks.relay_live_events", "schedule": 30.0},
    "live-prune": {"task": "notifications.tasks.prune_live_events", "schedule": 3600.0},
    # Saved searches told about the linked records ingested since they last looked
    # (search.investigate.alerts).
    "saved-searches": {"task": "search.tasks.check_saved_searches", "schedule": 300.0},
    # Every warning model switched on, over all the records, at night (search.detection): what the
    # runs after each ingest cannot see, such as an exemption that expired, is found then.
    "detection-nightly": {
        "task": "search.detection.tasks.run_active_models", "schedule": crontab(hour=2, minute=30),
        "kwargs": {"full": True},
    },
}
# Numbered live messages are kept this long for clients that reconnect (notifications.live.outbox);
# a page asleep for longer reloads its live parts instead of replaying them.
LIVE_EVENT_RETENTION = timedelta(days=2)

# --- deadlines and reminders -----------------------------------------------------------------
# A running issue's light turns yellow ("due soon") this many working days before its deadline
# (issues/deadlines/lights.py). Counted on the working-day calendar, so a weekend or a holiday in between
# does not eat into the warning; 0 means only on the deadline day itself.
DUE_SOON_WORKING_DAYS = env_int("DUE_SOON_WORKING_DAYS", 3, minimum=0)
# Reminder notifications reach people only between these local times on working days
# (notifications/inbox.py): people are not paged at night or on holidays. What the sweep
# produces outside them is held and delivered by the reminder-digest task once the next working
# period starts. Written "HH:MM,HH:MM".
NOTIFICATION_WORKING_HOURS = env_time_range("NOTIFICATION_WORKING_HOURS", ("08:30", "17:30"))

# --- linked-record search ------------------------------------------------------------------
ELASTICSEARCH_URL = env_url("ELASTICSEARCH_URL", schemes=("http", "https"))
SEARCH_BACKEND = "elasticsearch" if ELASTICSEARCH_URL else "embedded"
SEARCH_INDEX_PREFIX = env_str("SEARCH_INDEX_PREFIX", "portal")
# The largest export file of a linked system that the upload page accepts (bytes).
SEARCH_UPLOAD_MAX_BYTES = env_int("SEARCH_UPLOAD_MAX_BYTES", 200 * 1024 * 1024, minimum=1024)
# Hits are counted exactly up to this many; past it a search says "more than 10,000" and its cost
# stops growing with its hits (Elasticsearch's own default for track_total_hits). On the embedded
# backend a search past it is also listed newest first and its facets count the newest this many.
SEARCH_EXACT_COUNT = env_int("SEARCH_EXACT_COUNT", 10_000, minimum=1)

# --- users, sign-in, permissions -----------------------------------------------------------
AUTH_USER_MODEL = "agencies.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"
# Guardian: no anonymous user row; permissions go to agency groups.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# Rate-limited sign-in: five failures for one user name from one address lock that pair out
# for a quarter of an hour; a success resets the count.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 10  # a working day
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)

# --- language, time --------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# --- files ------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    BASE_DIR / "frontend" / "static",
    ("vendor/bootstrap", BASE_DIR / "frontend" / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "frontend" / "node_modules" / "bootstrap-icons" / "font"),
    ("vendor/chart.js", BASE_DIR / "frontend" / "node_modules" / "chart.js" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Source maps (11 MB of the vendor packages') are read by developer tools only: compressing them
# took a third of collectstatic's time.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Bytes of request line and headers daphne reads (portal/asgi.py says why); a proxy in front must
# allow as much (nginx: large_client_header_buffers 4 64k).
REQUEST_HEAD_LIMIT = 64 * 1024

# --- Wagtail ----------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "监督一张网"
# Where links that leave the portal (export files, Wagtail's notices) point when no request says
# where the portal is reached: `make run` sets it from HOST and PORT. Pages and the exports asked
# for from them use the address of the request instead.
WAGTAILADMIN_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000")
# The admin's user avatars would come from gravatar.com: intranets are offline, and a served
# page names no other host. Wagtail shows its own default avatar instead.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_LOGIN_URL = "login"
# Every editorial page needs a signed-in user (portal/wagtail_hooks.py); Wagtail's own
# "private page" restriction sends people to the same sign-in page.
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
WAGTAIL_I18N_ENABLED = False
# Intranets are offline: no version check against releases.wagtail.io from the browser, no
# banner pointing at the online guide (the help menu's links to it go too: portal/wagtail_hooks.py).
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "txt", "odt", "ods"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "common.request_ids.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # Wagtail runs search indexing as django-tasks tasks and logs every run at INFO.
        "django_tasks": {"level": "WARNING"},
    },
}
