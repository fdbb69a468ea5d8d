"""Django settings for AuthHub. Every value comes from the environment (see README, "Configuration")."""

from __future__ import annotations

import dj_database_url

from authhub import conf
from authhub.env import env_list

AUTHHUB = conf.load()
BASE_DIR = conf.BASE_DIR

DEBUG = not AUTHHUB.production
SECRET_KEY = AUTHHUB.secret_key
ALLOWED_HOSTS = env_list("AUTHHUB_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
if not AUTHHUB.production:
    ALLOWED_HOSTS += [".localhost", "testserver"]

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_q",
    "channels",
    "authhub",
    "credentials",
    "connections",
]

MIDDLEWARE = [
    "authhub.api.middleware.AccessLogMiddleware",
    "authhub.api.middleware.ApiErrorMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "authhub.urls"
ASGI_APPLICATION = "authhub.asgi.application"
APPEND_SLASH = False

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
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

# --- database -------------------------------------------------------------------------------------
if AUTHHUB.database_url:
    DATABASES = {"default": dj_database_url.parse(AUTHHUB.database_url, conn_max_age=60)}
else:
    # The web server, the django-q2 cluster and the browser runner all write to this file. WAL lets
    # readers run beside the writer; IMMEDIATE takes the write lock at BEGIN, so two writers queue on
    # the busy timeout instead of failing with "database is locked" when a read lock is upgraded.
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": AUTHHUB.data_dir / "authhub.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=30000;PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- channels and django-q2 -----------------------------------------------------------------------
if AUTHHUB.redis_url:
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [AUTHHUB.redis_url]}}
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

Q_CLUSTER = {
    "name": "authhub",
    "workers": 2,
    "timeout": 120,
    "retry": 180,
    "max_attempts": 1,
    "catch_up": False,
    "save_limit": 500,
    "label": "Background jobs",
}
if AUTHHUB.redis_url:
    Q_CLUSTER["redis"] = AUTHHUB.redis_url
else:
    Q_CLUSTER["orm"] = "default"

# --- auth, i18n, static ---------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = AUTHHUB.data_dir / "static"
# Served by WhiteNoise straight from the app folders: no collectstatic step to forget.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- security -------------------------------------------------------------------------------------
if AUTHHUB.production:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = [AUTHHUB.public_base_url]
SESSION_COOKIE_HTTPONLY = True
DEFAULT_EXCEPTION_REPORTER_FILTER = "authhub.redaction.SecretExceptionReporterFilter"

# --- API ------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "connections.authentication.HostedTokenAuthentication",
        "authhub.api.authentication.ApiKeyAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["authhub.api.permissions.ApiKeyRequired"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "authhub.api.exceptions.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "AuthHub API",
    "DESCRIPTION": (
        "Self-hosted managed auth for AI agents. Wire-compatible with Kernel's managed-auth API: "
        "point the official `kernel` SDK at this server with `base_url`. Authenticate with "
        "`Authorization: Bearer <api key>`. Lists take `limit`/`offset` and answer a bare JSON array "
        "with `X-Has-More` and `X-Next-Offset` headers. Errors are `{code, message}`."
    ),
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- logging --------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "authhub.redaction.RedactingFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)-7s %(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]},
    },
    "root": {"handlers": ["console"], "level": AUTHHUB.log_level},
    "loggers": {
        # Replace Django's own console handler, which would print every django.* line a second time.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "INFO"},
        "django_q": {"level": AUTHHUB.log_level, "propagate": True},
    },
}
